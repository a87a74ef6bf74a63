import { config } from "zod";

// Runs in the browser before the app starts. zod compiles object parsers with `new Function` after
// probing whether eval works; the page's CSP forbids eval, so the probe would be reported as a
// policy violation on every form. Jitless parsing gives the same results without the probe.
config({ jitless: true });
