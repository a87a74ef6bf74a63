import "server-only";
import { providerJson, type ProviderHttpOptions } from "../http";
import { ProviderError, type SmsCost, type Balance, type DeliveryStatus, type ProviderErrorCode, type SendResult, type SmsAdapter } from "../types";

/*
 * sms.ru HTTP API, JSON mode (json=1). Sources: https://sms.ru/api/send and https://sms.ru/api/status (read
 * at their mirrors tele2.sms.ru/api/send, joomla.sms.ru/api/status); the status-code table of sms.ru's API
 * docs as reproduced by open-source sms.ru clients; /my/balance as called by those clients.
 *
 * POST /sms/send  api_id, to (digits, no "+"), msg (UTF-8), from (approved sender), json=1 →
 *   { "status": "OK", "status_code": 100,
 *     "sms": { "79255070602": { "status": "OK", "status_code": 100, "sms_id": "000000-10000000" },
 *              "74993221627": { "status": "ERROR", "status_code": 207, "status_text": "…" } },
 *     "balance": 4122.56 }
 *   The top-level status covers the request (api_id, sender, funds, limits); each number then has its own
 *   status, so "OK" on top can still carry a refusal for our one number. No per-number cost is documented;
 *   it is read if present, and status() reports it once sms.ru has billed the message.
 * GET /sms/status api_id, sms_id, json=1 → { "status": "OK", "status_code": 100,
 *   "sms": { "<sms_id>": { "status": "OK", "status_code": 103, "cost": 0.5, "status_text": "Сообщение доставлено" } } }
 * GET /my/balance api_id, json=1 → { "status": "OK", "status_code": 100, "balance": 4122.56 } (roubles)
 * Errors: { "status": "ERROR", "status_code": 200, "status_text": "Неправильный api_id" }.
 */

export type SmsRuConfig = {
  apiId: string;
  /** An alphanumeric sender approved in the sms.ru account; without it sms.ru uses the account default. */
  sender?: string;
  baseUrl?: string;
  fetch?: typeof fetch;
  timeoutMs?: number;
};

type Refusal = { code: ProviderErrorCode; temporary: boolean; message: string };

const AUTH: Refusal = { code: "auth", temporary: false, message: "sms.ru did not accept the API key (api_id)" };
const BLOCKED: Refusal = {
  code: "number_blocked",
  temporary: false,
  message: "sms.ru will not send to this number (blocked, in a stop-list or without a route)",
};
const DAILY: Refusal = { code: "daily_limit", temporary: false, message: "the sms.ru daily sending limit has been reached" };
const THROTTLED: Refusal = { code: "rate_limited", temporary: true, message: "sms.ru is limiting how often messages can be sent" };
const DOWN: Refusal = { code: "unavailable", temporary: true, message: "sms.ru is temporarily unavailable" };
const TEXT: Refusal = { code: "message_rejected", temporary: false, message: "sms.ru refused the message text" };
const SENDER: Refusal = { code: "sender_not_approved", temporary: false, message: "sms.ru has not approved the sender name" };

// sms.ru's status codes. A daily limit is permanent for the message: a code or a link sent
// tomorrow is no use, and the merchant has to raise the limit. Codes missing here (208, 210–213, 507: a
// malformed request) become `unknown` with sms.ru's own text.
const REFUSALS: Record<number, Refusal> = {
  200: AUTH, // Неправильный api_id
  300: AUTH, // Неправильный token
  301: AUTH, // Неправильный api_id, либо логин/пароль
  302: { ...AUTH, message: "the sms.ru account is not confirmed yet" },
  201: { code: "insufficient_funds", temporary: false, message: "the sms.ru account has run out of money" },
  202: { code: "invalid_number", temporary: false, message: "sms.ru says the phone number is not valid" },
  203: { ...TEXT, message: "sms.ru received an empty message" },
  205: { ...TEXT, message: "the message is too long for sms.ru (more than 8 SMS)" },
  216: { ...TEXT, message: "sms.ru refused the message: the text contains a forbidden word" },
  217: { ...TEXT, message: "sms.ru refused the message: a credit advert needs the mandatory risk warning" },
  204: SENDER, // Имя отправителя не согласовано (now: «Вы не подключили данного оператора»)
  221: { ...SENDER, message: "sms.ru requires an approved alphanumeric sender name" },
  206: DAILY, // Будет превышен или уже превышен дневной лимит
  230: { ...DAILY, message: "sms.ru's daily message limit for this number has been reached" },
  232: { ...DAILY, message: "sms.ru's daily limit of identical messages to this number has been reached" },
  207: BLOCKED, // На этот номер нельзя отправлять сообщения
  209: { ...BLOCKED, message: "this number is in the stop-list of the sms.ru account" },
  214: { ...BLOCKED, message: "sms.ru is set to send only to Russian numbers" },
  215: { ...BLOCKED, message: "this number is in sms.ru's spam stop-list" },
  550: { ...BLOCKED, message: "sms.ru blocks messages to this country" },
  220: DOWN, // Сервис временно недоступен
  500: DOWN, // Ошибка на сервере. Повторите запрос
  231: { ...THROTTLED, message: "sms.ru's per-minute limit of identical messages to this number has been reached" },
  233: { ...THROTTLED, message: "sms.ru's anti-fraud limit on repeated codes to this number has been reached" },
  304: THROTTLED,
  501: THROTTLED,
  502: THROTTLED,
  503: THROTTLED,
  504: THROTTLED,
  505: THROTTLED,
  506: THROTTLED,
  508: THROTTLED,
};

/** sms.ru's delivery status codes (https://sms.ru/api/status); the rest mean the message failed. */
const PROGRESS: Record<number, DeliveryStatus["status"]> = { 100: "queued", 101: "queued", 102: "sent", 103: "delivered", 110: "delivered" };
const FAILURES: Record<number, string> = {
  [-1]: "sms.ru has no message with this id",
  104: "not delivered: its lifetime expired",
  105: "not delivered: deleted by the operator",
  106: "not delivered: the phone failed to take it",
  107: "not delivered: unknown reason",
  108: "not delivered: rejected by the operator",
  150: "not delivered: no route to this number",
};

type SmsRuItem = { status?: string; status_code?: number; status_text?: string; sms_id?: string; cost?: number | string; sms?: number | string };
type SmsRuAnswer = Omit<SmsRuItem, "sms"> & {
  sms?: Record<string, SmsRuItem>;
  balance?: number | string;
  total_cost?: number | string;
  total_sms?: number | string;
};

function refusalError(item: SmsRuItem, sender?: string): ProviderError {
  const code = Number(item.status_code);
  const detail = `sms.ru ${Number.isFinite(code) ? code : "?"}: ${item.status_text ?? item.status ?? "no status text"}`;
  const known = REFUSALS[code];
  if (!known) return new ProviderError(`sms.ru refused the message: ${item.status_text ?? `status ${item.status_code}`}`, false, "unknown", detail);
  const message = known.code === "sender_not_approved" && sender ? `${known.message} "${sender}"` : known.message;
  return new ProviderError(`${message}.`, known.temporary, known.code, detail);
}

/** Roubles (number or numeric string) to kopecks; undefined when sms.ru sent nothing usable. */
function toKopecks(value: number | string | undefined): number | undefined {
  if (value === undefined || value === null || value === "") return undefined;
  const amount = Number(value);
  return Number.isFinite(amount) ? Math.round(amount * 100) : undefined;
}

/** The number as sms.ru wants it: international digits without "+". */
function smsRuRecipient(to: string): string {
  const digits = to.startsWith("+") ? to.slice(1) : to;
  if (!/^[1-9]\d{6,14}$/.test(digits)) throw new ProviderError(`"${to}" is not a phone number in international format.`, false, "invalid_number");
  return digits;
}

export function createSmsRuAdapter(config: SmsRuConfig): SmsAdapter {
  const baseUrl = (config.baseUrl ?? "https://sms.ru").replace(/\/+$/, "");
  const http: ProviderHttpOptions = { provider: "sms.ru", fetch: config.fetch, timeoutMs: config.timeoutMs, throttled: THROTTLED.message, down: DOWN.message };

  async function call(method: "GET" | "POST", path: string, params: Record<string, string>): Promise<SmsRuAnswer> {
    const form = new URLSearchParams({ api_id: config.apiId, ...params, json: "1" });
    const url = method === "GET" ? `${baseUrl}${path}?${form}` : `${baseUrl}${path}`;
    const answer = await providerJson<SmsRuAnswer>(
      url,
      {
        method,
        headers: method === "POST" ? { "content-type": "application/x-www-form-urlencoded; charset=utf-8" } : undefined,
        body: method === "POST" ? form.toString() : undefined,
      },
      http,
    );
    if (answer.status !== "OK") throw refusalError(answer as SmsRuItem, config.sender);
    return answer;
  }

  return {
    name: "sms.ru",

    async send({ to, text }): Promise<SendResult> {
      const number = smsRuRecipient(to);
      const answer = await call("POST", "/sms/send", { to: number, msg: text, ...(config.sender ? { from: config.sender } : {}) });
      const entries = Object.entries(answer.sms ?? {});
      // sms.ru keys the answer by the number it parsed; with one recipient that is the only entry.
      const item = answer.sms?.[number] ?? (entries.length === 1 ? entries[0][1] : undefined);
      if (!item) throw new ProviderError("sms.ru accepted the request but said nothing about the number.", false, "unknown", `sms.ru: no entry for ${number}`);
      if (item.status !== "OK") throw refusalError(item, config.sender);
      if (!item.sms_id) throw new ProviderError("sms.ru accepted the message without an id.", false, "unknown", "sms.ru: sms_id missing");
      const costMinor = toKopecks(item.cost);
      return { providerMessageId: item.sms_id, ...(costMinor !== undefined ? { costMinor, currency: "RUB" } : {}) };
    },

    // GET /sms/cost api_id, to, msg, json=1 (https://sms.ru/api/cost) → { status, status_code,
    //   sms: { "<digits>": { status, status_code, cost, sms } }, total_cost, total_sms }: nothing is sent.
    async cost({ to, text }): Promise<SmsCost> {
      const digits = smsRuRecipient(to);
      const answer = await call("GET", "/sms/cost", { to: digits, msg: text });
      const item = answer.sms?.[digits];
      if (item && item.status !== "OK") throw refusalError(item, config.sender);
      const costMinor = toKopecks(item?.cost ?? answer.total_cost);
      if (costMinor === undefined)
        throw new ProviderError("sms.ru did not report a cost.", true, "unavailable", `sms.ru cost: ${JSON.stringify(answer).slice(0, 200)}`);
      return { costMinor, parts: Number(item?.sms ?? answer.total_sms ?? 1) || 1, currency: "RUB" };
    },

    async balance(): Promise<Balance> {
      const answer = await call("GET", "/my/balance", {});
      const amount = toKopecks(answer.balance);
      if (amount === undefined) throw new ProviderError("sms.ru did not report a balance.", true, "unavailable", `sms.ru balance: ${String(answer.balance)}`);
      return { amount, currency: "RUB" };
    },

    async status(providerMessageId): Promise<DeliveryStatus> {
      const answer = await call("GET", "/sms/status", { sms_id: providerMessageId });
      const item = answer.sms?.[providerMessageId];
      if (!item) throw new ProviderError("sms.ru did not report on this message.", true, "unavailable", `sms.ru: no status for ${providerMessageId}`);
      const code = Number(item.status_code);
      const costMinor = toKopecks(item.cost);
      const cost = costMinor !== undefined ? { costMinor } : {};
      const progress = PROGRESS[code];
      if (progress) return { status: progress, ...cost };
      const reason = FAILURES[code] ?? `not delivered: ${item.status_text ?? `sms.ru status ${item.status_code}`}`;
      return { status: "failed", reason, ...cost };
    },
  };
}
