// The cumulative-discount programme the level tests share: Base from 0 (3 %), Silver from 10,000.00 (5 %, earns 3 %), Gold from 50,000.00 (10 %).
import { DEFAULT_CUMULATIVE_PROGRAM, type CumulativeProgram } from "@/lib/templates/definition";

export const LEVELS: CumulativeProgram = {
  ...DEFAULT_CUMULATIVE_PROGRAM,
  earnPercent: 1,
  levels: [
    { name: "Base", minTotal: 0, discountPercent: 3 },
    { name: "Silver", minTotal: 1_000_000, discountPercent: 5, earnPercent: 3 },
    { name: "Gold", minTotal: 5_000_000, discountPercent: 10 },
  ],
};
