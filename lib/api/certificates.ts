import "server-only";
import type { Db } from "@/db";
import { listDefinitions, type DefinitionRow } from "@/lib/gift-certificates/definitions";
import { getCertificateOrThrow, type CertificateRow } from "@/lib/gift-certificates/queries";
import { presentCard } from "./cards";
import type { ApiCertificate, ApiCertificateDefinition } from "./certificate-schemas";

export function presentCertificate({ card, customer, code, kind }: CertificateRow): ApiCertificate {
  return {
    ...presentCard({ card, customer }),
    certificate: { kind, definitionId: code.definitionId, code: code.code, message: code.message, openedAt: code.openedAt?.toISOString() ?? null },
  };
}

export function presentDefinition(d: DefinitionRow): ApiCertificateDefinition {
  return {
    id: d.id,
    kind: d.kind,
    name: d.name,
    templateId: d.templateId,
    nominal: d.nominal,
    product: d.product,
    partialRedemption: d.partialRedemption,
    validUntil: d.validUntil,
    validDays: d.validDays,
    locationIds: d.locationIds,
    freeCodes: d.free,
    issued: d.issued,
    redeemed: d.redeemed,
    archived: d.archivedAt !== null,
  };
}

export async function loadApiCertificate(db: Db, merchantId: string, cardId: string): Promise<ApiCertificate> {
  return presentCertificate(await getCertificateOrThrow(db, merchantId, cardId));
}

export async function loadApiDefinitions(db: Db, merchantId: string): Promise<ApiCertificateDefinition[]> {
  return (await listDefinitions(db, merchantId)).map(presentDefinition);
}
