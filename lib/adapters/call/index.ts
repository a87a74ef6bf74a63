import "server-only";
import type { Db } from "@/db";
import { getEnv } from "@/lib/env";
import { openSmsSecrets } from "@/lib/messaging/credentials";
import { getMessagingSettings } from "@/lib/messaging/settings";
import { providerJson, type ProviderHttpOptions } from "../http";
import { ProviderError } from "../types";

/*
 * A code carried by a call: the provider calls the customer from a number whose last digits are the
 * code, and tells us those digits. The provider chooses the code (4 digits at both).
 *
 * sms.ru "авторизация звонком" (https://sms.ru/api/code_call):
 *   GET|POST /code/call  api_id, phone (digits), ip (the end user's, "-1" when unknown) →
 *   { "status": "OK", "code": "1435", "call_id": "000000-10000000", "cost": 0.4, "balance": 4122.56 }
 *   refusals: { "status": "ERROR", "status_code": 200, "status_text": "Неправильный api_id" }.
 * smsc.ru "звонок-код" (https://smsc.ru/api/http/send/, call=1 with mes=code):
 *   POST /sys/send.php  login+psw or apikey, phones, mes=code, call=1, fmt=3 →
 *   { "id": 12, "cnt": 1, "code": "4321" }; refusals: { "error": "…", "error_code": 2 }.
 */

export type CallCode = { code: string; callId: string | null };
export type CallCodeAdapter = { readonly name: string; call(phone: string, ip?: string): Promise<CallCode> };

const form = (params: Record<string, string>): RequestInit => ({
  method: "POST",
  headers: { "content-type": "application/x-www-form-urlencoded; charset=utf-8" },
  body: new URLSearchParams(params).toString(),
});

const digitsOf = (phone: string) => phone.replace(/^\+/, "");

function checkCode(provider: string, code: unknown): string {
  const text = typeof code === "string" || typeof code === "number" ? String(code) : "";
  if (!/^\d{4,6}$/.test(text)) throw new ProviderError(`${provider} did not say which digits its call carries.`, false, "unknown", `${provider}: code ${text}`);
  return text;
}

export function createSmsRuCallAdapter(config: { apiId: string; baseUrl?: string; fetch?: typeof fetch }): CallCodeAdapter {
  const baseUrl = (config.baseUrl ?? "https://sms.ru").replace(/\/+$/, "");
  const http: ProviderHttpOptions = { provider: "sms.ru", fetch: config.fetch };
  return {
    name: "sms.ru",
    async call(phone, ip) {
      type Answer = { status?: string; status_code?: number; status_text?: string; code?: string; call_id?: string };
      const answer = await providerJson<Answer>(
        `${baseUrl}/code/call`,
        form({ api_id: config.apiId, phone: digitsOf(phone), ip: ip ?? "-1", json: "1" }),
        http,
      );
      if (answer.status !== "OK") {
        throw new ProviderError(
          `sms.ru refused the call: ${answer.status_text ?? "no reason given"}.`,
          false,
          "unknown",
          `sms.ru ${answer.status_code ?? "?"}`,
        );
      }
      return { code: checkCode("sms.ru", answer.code), callId: answer.call_id ?? null };
    },
  };
}

export function createSmscCallAdapter(config: { login?: string; password?: string; apiKey?: string; baseUrl?: string; fetch?: typeof fetch }): CallCodeAdapter {
  const baseUrl = (config.baseUrl ?? "https://smsc.ru").replace(/\/+$/, "");
  const credentials: Record<string, string> = config.apiKey ? { apikey: config.apiKey } : { login: config.login ?? "", psw: config.password ?? "" };
  const http: ProviderHttpOptions = { provider: "smsc.ru", fetch: config.fetch };
  return {
    name: "smsc.ru",
    async call(phone) {
      type Answer = { id?: number | string; cnt?: number; code?: string; error?: string; error_code?: number };
      const answer = await providerJson<Answer>(
        `${baseUrl}/sys/send.php`,
        form({ ...credentials, phones: digitsOf(phone), mes: "code", call: "1", fmt: "3", charset: "utf-8" }),
        http,
      );
      if (answer.error !== undefined || answer.error_code !== undefined) {
        throw new ProviderError(`smsc.ru refused the call: ${answer.error ?? "no reason given"}.`, false, "unknown", `smsc.ru ${answer.error_code ?? "?"}`);
      }
      return { code: checkCode("smsc.ru", answer.code), callId: answer.id === undefined ? null : String(answer.id) };
    },
  };
}

/** The merchant's provider's call-code service; null when its provider has none (the console). */
export async function getCallCodeAdapter(db: Db, merchantId: string): Promise<CallCodeAdapter | null> {
  const env = getEnv();
  const settings = await getMessagingSettings(db, merchantId);
  if (settings.smsProvider === "console") return null;
  const secrets = openSmsSecrets(merchantId, settings.smsSealed);
  if (!secrets) return null;
  if (settings.smsProvider === "smsru") return secrets.smsru ? createSmsRuCallAdapter({ apiId: secrets.smsru.apiId, baseUrl: env.SMS_RU_URL }) : null;
  return secrets.smsc ? createSmscCallAdapter({ ...secrets.smsc, baseUrl: env.SMSC_URL }) : null;
}
