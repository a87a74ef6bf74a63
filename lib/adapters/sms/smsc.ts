import "server-only";
import { providerJson, type ProviderHttpOptions } from "../http";
import { ProviderError, type SmsCost, type Balance, type DeliveryStatus, type ProviderErrorCode, type SendResult, type SmsAdapter } from "../types";

/*
 * smsc.ru HTTP API with JSON answers (fmt=3). Sources: https://smsc.ru/api/http/ (send, status, balance
 * pages and their "ответ сервера и коды ошибок" pages; English copy at smscentre.com/api/http/), and the
 * answer types of the servant-smsc-ru client (hackage: Servant.API.SMSC.RU.API).
 *
 * Every call is GET or POST with login+psw or apikey; we POST a form so secrets stay out of URLs.
 * /sys/send.php  phones (digits), mes, sender, charset=utf-8, cost=3, fmt=3 →
 *   { "id": 25, "cnt": 1, "cost": "1.40", "balance": "1205.30" }   (cost=3: sent, cost and balance returned)
 *   error → { "error": "…", "error_code": N } and, for 3, 6, 7, 8, also "id".
 * /sys/balance.php cur=1, fmt=3 → { "balance": "1205.30", "currency": "RUB" }
 * /sys/status.php  phone, id, fmt=3 → { "status": 1, "last_date": "…", "last_timestamp": …, "flag": 0, "err": 0 }
 * error_code: 1 parameters, 2 login/password (or IP not allowed), 3 no funds, 4 IP blocked for a while
 * after frequent errors, 5 date format, 6 message forbidden (text or sender name), 7 number format,
 * 8 cannot be delivered to the number, 9 too many identical or concurrent requests.
 */

export type SmscConfig = {
  login?: string;
  password?: string;
  /** Used instead of login+password when set (smsc.ru "API-ключ"). */
  apiKey?: string;
  sender?: string;
  baseUrl?: string;
  fetch?: typeof fetch;
  timeoutMs?: number;
  /** The account's currency: send answers carry a cost without naming it. */
  currency?: string;
};

type Refusal = { code: ProviderErrorCode; temporary: boolean; message: string };

const REFUSALS: Record<number, Refusal> = {
  2: { code: "auth", temporary: false, message: "smsc.ru did not accept the login and password or API key (or this server's IP is not allowed)" },
  3: { code: "insufficient_funds", temporary: false, message: "the smsc.ru account has run out of money" },
  // smsc.ru lifts the block by itself; backing off is exactly what it asks for.
  4: { code: "rate_limited", temporary: true, message: "smsc.ru has blocked this server's IP address for a while after repeated errors" },
  6: { code: "message_rejected", temporary: false, message: "smsc.ru forbids this message: its text or the sender name is not allowed" },
  7: { code: "invalid_number", temporary: false, message: "smsc.ru says the phone number format is wrong" },
  8: { code: "number_blocked", temporary: false, message: "smsc.ru cannot deliver messages to this number" },
  9: { code: "rate_limited", temporary: true, message: "smsc.ru refused too many identical or simultaneous requests" },
};

const PROGRESS: Record<number, DeliveryStatus["status"]> = { [-1]: "queued", 0: "sent", 1: "delivered", 2: "delivered", 4: "delivered" };
const FAILURES: Record<number, string> = {
  [-3]: "smsc.ru has no message with this id for this number",
  [-2]: "stopped before it left smsc.ru",
  3: "not delivered: its lifetime expired",
  20: "not delivered: cannot be delivered",
  22: "not delivered: wrong number",
  23: "not delivered: prohibited",
  24: "not delivered: not enough money on the smsc.ru account",
  25: "not delivered: the number is unavailable",
};

type SmscAnswer = {
  error?: string;
  error_code?: number;
  id?: number | string;
  cnt?: number;
  cost?: string | number;
  balance?: string | number;
  currency?: string;
  status?: number;
  err?: number;
};

function toMinor(value: string | number | undefined): number | undefined {
  if (value === undefined || value === null || value === "") return undefined;
  const amount = Number(value);
  return Number.isFinite(amount) ? Math.round(amount * 100) : undefined;
}

function refusalError(answer: SmscAnswer, sender?: string): ProviderError {
  const code = Number(answer.error_code);
  const detail = `smsc.ru ${code}: ${answer.error ?? "no error text"}`;
  const known = REFUSALS[code];
  if (!known) return new ProviderError(`smsc.ru refused the request: ${answer.error ?? `error ${answer.error_code}`}`, false, "unknown", detail);
  const message = code === 6 && sender ? `${known.message} (sender "${sender}")` : known.message;
  return new ProviderError(`${message}.`, known.temporary, known.code, detail);
}

/** smsc.ru takes numbers with or without "+"; without it, as the other adapters send them. */
function smscRecipient(to: string): string {
  const digits = to.startsWith("+") ? to.slice(1) : to;
  if (!/^[1-9]\d{6,14}$/.test(digits)) throw new ProviderError(`"${to}" is not a phone number in international format.`, false, "invalid_number");
  return digits;
}

export function createSmscAdapter(config: SmscConfig): SmsAdapter {
  if (!config.apiKey && !(config.login && config.password)) {
    throw new ProviderError("smsc.ru needs a login and password, or an API key.", false, "auth");
  }
  const credentials: Record<string, string> = config.apiKey ? { apikey: config.apiKey } : { login: config.login!, psw: config.password! };
  const baseUrl = (config.baseUrl ?? "https://smsc.ru").replace(/\/+$/, "");
  const currency = config.currency ?? "RUB";
  const http: ProviderHttpOptions = { provider: "smsc.ru", fetch: config.fetch, timeoutMs: config.timeoutMs };

  async function call(path: string, params: Record<string, string>): Promise<SmscAnswer> {
    const form = new URLSearchParams({ ...credentials, ...params, fmt: "3", charset: "utf-8" });
    const answer = await providerJson<SmscAnswer>(
      `${baseUrl}${path}`,
      { method: "POST", headers: { "content-type": "application/x-www-form-urlencoded; charset=utf-8" }, body: form.toString() },
      http,
    );
    if (answer.error_code !== undefined || answer.error !== undefined) throw refusalError(answer, config.sender);
    return answer;
  }

  return {
    name: "smsc.ru",

    async send({ to, text }): Promise<SendResult> {
      const phones = smscRecipient(to);
      const answer = await call("/sys/send.php", { phones, mes: text, cost: "3", ...(config.sender ? { sender: config.sender } : {}) });
      if (answer.id === undefined || answer.id === null) {
        throw new ProviderError("smsc.ru accepted the message without an id.", false, "unknown", `smsc.ru: ${JSON.stringify(answer).slice(0, 200)}`);
      }
      const costMinor = toMinor(answer.cost);
      return { providerMessageId: String(answer.id), ...(costMinor !== undefined ? { costMinor, currency } : {}) };
    },

    // send.php with cost=1: the price of the message without sending it (fmt=3 → { "cost": "1.4", "cnt": 1 }).
    async cost({ to, text }): Promise<SmsCost> {
      const answer = await call("/sys/send.php", { phones: smscRecipient(to), mes: text, cost: "1", ...(config.sender ? { sender: config.sender } : {}) });
      const costMinor = toMinor(answer.cost);
      if (costMinor === undefined) throw new ProviderError("smsc.ru did not report a cost.", true, "unavailable", `smsc.ru cost: ${String(answer.cost)}`);
      return { costMinor, parts: Number(answer.cnt ?? 1) || 1, currency };
    },

    async balance(): Promise<Balance> {
      const answer = await call("/sys/balance.php", { cur: "1" });
      const amount = toMinor(answer.balance);
      if (amount === undefined) throw new ProviderError("smsc.ru did not report a balance.", true, "unavailable", `smsc.ru balance: ${String(answer.balance)}`);
      return { amount, currency: answer.currency || currency };
    },

    async status(providerMessageId, to): Promise<DeliveryStatus> {
      const answer = await call("/sys/status.php", { phone: smscRecipient(to), id: providerMessageId });
      const code = Number(answer.status);
      const progress = PROGRESS[code];
      if (progress) return { status: progress };
      const operatorError = answer.err ? ` (operator error ${answer.err})` : "";
      return { status: "failed", reason: `${FAILURES[code] ?? `not delivered: smsc.ru status ${answer.status}`}${operatorError}` };
    },
  };
}
