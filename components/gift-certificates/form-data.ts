import type { CertificateDefinition } from "@/db/schema";
import { currencyDigits } from "@/lib/format/money";
import type { DefinitionFormValues } from "./definition-form";

/** A definition as its form's starting values (money back in major units). */
export function formValuesOf(d: CertificateDefinition | null, currency: string, newKind: "gift" | "coupon" = "gift"): DefinitionFormValues {
  const digits = currencyDigits(currency);
  return {
    id: d?.id,
    name: d?.name ?? "",
    valueKind: (d?.kind ?? newKind) === "coupon" ? "coupon" : d && d.nominal === null ? "product" : "money",
    nominal: d?.nominal != null ? String(d.nominal / 10 ** digits) : "",
    productEn: d?.product?.en ?? "",
    productRu: d?.product?.ru ?? "",
    presentationEn: d?.presentation.en ?? "",
    presentationRu: d?.presentation.ru ?? "",
    termsEn: d?.terms.en ?? "",
    termsRu: d?.terms.ru ?? "",
    validityMode: d?.validUntil ? "fixed" : "days",
    validUntil: d?.validUntil ?? "",
    validDays: String(d?.validDays ?? (newKind === "coupon" ? 30 : 365)),
    partialRedemption: d?.partialRedemption ?? true,
    lowPoolThreshold: String(d?.lowPoolThreshold ?? 0),
    smsTemplate: d?.smsTemplate ?? "",
    templateId: d?.templateId ?? "",
    locationIds: d?.locationIds ?? [],
  };
}
