// Local sms.ru and smsc.ru: node:http servers answering in each provider's documented JSON (see the
// header comments of lib/adapters/sms/sms-ru.ts and smsc.ts for the sources), so the real adapters are
// tested over a socket. Only node: imports, so Vitest and Playwright can both load them.
import { createServer, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

export type StandInRequest = {
  method: string;
  path: string;
  query: Record<string, string>;
  /** Query and form body merged, as both providers read them. */
  params: Record<string, string>;
  contentType: string;
  body: string;
  /** What the stand-in answered, so a test can check the exchange (e.g. an overall "OK" with a refused number). */
  answer?: { status: number; body: string };
};

/** A bare HTTP failure instead of a provider answer: a 500 from a broken front end, a 429 from a proxy. */
export type HttpFailure = { httpStatus: number; body?: string };

type Handler = (request: StandInRequest) => { status?: number; json?: unknown; text?: string };

async function listen(handle: Handler, received: StandInRequest[]) {
  const server = createServer((req, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      const body = Buffer.concat(chunks).toString("utf8");
      const url = new URL(req.url ?? "/", "http://stand-in");
      const query = Object.fromEntries(url.searchParams);
      const contentType = String(req.headers["content-type"] ?? "");
      const form = contentType.startsWith("application/x-www-form-urlencoded") ? Object.fromEntries(new URLSearchParams(body)) : {};
      const request: StandInRequest = { method: req.method ?? "GET", path: url.pathname, query, params: { ...query, ...form }, contentType, body };
      received.push(request);
      const { status = 200, json, text } = handle(request);
      const payload = json !== undefined ? JSON.stringify(json) : (text ?? "");
      request.answer = { status, body: payload };
      res.writeHead(status, { "content-type": json !== undefined ? "application/json; charset=utf-8" : "text/html; charset=utf-8" });
      res.end(payload);
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** SMS parts as both providers bill them: 160/153 GSM characters, 70/67 when the text needs UCS-2. */
function smsParts(text: string): number {
  const unicode = /[^\x20-\x7e\n\r]/.test(text);
  const single = unicode ? 70 : 160;
  return text.length <= single ? 1 : Math.ceil(text.length / (unicode ? 67 : 153));
}

const digitsOf = (phone: string) => phone.replace(/^\+/, "");
const isNumber = (digits: string) => /^\d{10,15}$/.test(digits);
const money = (value: number) => Math.round(value * 100) / 100;

// --- sms.ru ---------------------------------------------------------------------------------------

/** sms.ru's own texts (https://sms.ru/api/send, /api/status). */
const SMS_RU_TEXTS: Record<number, string> = {
  [-1]: "Сообщение не найдено",
  100: "Сообщение находится в нашей очереди",
  101: "Сообщение передается оператору",
  102: "Сообщение отправлено (в пути)",
  103: "Сообщение доставлено",
  104: "Не может быть доставлено: время жизни истекло",
  105: "Не может быть доставлено: удалено оператором",
  106: "Не может быть доставлено: сбой в телефоне",
  107: "Не может быть доставлено: неизвестная причина",
  108: "Не может быть доставлено: отклонено",
  150: "Не может быть доставлено: не найден маршрут на данный номер",
  200: "Неправильный api_id",
  201: "Не хватает средств на лицевом счету",
  202: "Неправильно указан номер телефона получателя, либо на него нет маршрута",
  203: "Нет текста сообщения",
  204: "Имя отправителя не согласовано с администрацией",
  206: "Будет превышен или уже превышен дневной лимит на отправку сообщений",
  207: "На этот номер (или один из номеров) нельзя отправлять сообщения, либо указано более 100 номеров в списке получателей",
  209: "Вы добавили этот номер (или один из номеров) в стоп-лист",
  211: "Метод не найден",
  212: "Текст сообщения необходимо передать в кодировке UTF-8 (вы передали в другой кодировке)",
  220: "Сервис временно недоступен, попробуйте чуть позже",
  231: "Превышен лимит одинаковых сообщений на этот номер в минуту",
  500: "Ошибка на сервере. Повторите запрос.",
};

export type SmsRuStandIn = {
  url: string;
  received: StandInRequest[];
  /** Every later request with this api_id gets this top-level error status_code (200, 201, 204, 206, 220…) or HTTP failure. */
  failApiId(apiId: string, failure: number | HttpFailure): void;
  /** Sends to this number (digits) are refused inside an overall "OK" answer, as sms.ru does per number. */
  failPhone(phone: string, statusCode: number): void;
  /** Roubles; an account the stand-in has not seen starts with 100. */
  setBalance(apiId: string, roubles: number): void;
  /** Moves a sent message on, as the operator's delivery report would. */
  setStatus(smsId: string, statusCode: number): void;
  close(): Promise<void>;
};

export async function startSmsRuStandIn(options: { pricePerSms?: number } = {}): Promise<SmsRuStandIn> {
  const price = options.pricePerSms ?? 3.5;
  const received: StandInRequest[] = [];
  const apiFailures = new Map<string, number | HttpFailure>();
  const phoneFailures = new Map<string, number>();
  const balances = new Map<string, number>();
  const messages = new Map<string, { statusCode: number; cost: number }>();
  let sequence = 0;

  const error = (code: number) => ({ status: "ERROR", status_code: code, status_text: SMS_RU_TEXTS[code] ?? "Ошибка" });

  function answer(request: StandInRequest): object {
    const p = request.params;
    const apiId = p.api_id ?? "";
    const failure = apiFailures.get(apiId);
    if (!apiId) return error(200);
    if (typeof failure === "number") return error(failure);
    const balance = balances.get(apiId) ?? 100;
    if (request.path === "/my/balance") return { status: "OK", status_code: 100, balance };
    if (request.path === "/sms/status") {
      const sms: Record<string, object> = {};
      for (const id of (p.sms_id ?? "").split(",").filter(Boolean)) {
        const message = messages.get(id);
        sms[id] = message
          ? { status: "OK", status_code: message.statusCode, cost: message.cost, status_text: SMS_RU_TEXTS[message.statusCode] }
          : { status: "ERROR", status_code: -1, status_text: SMS_RU_TEXTS[-1] };
      }
      return { status: "OK", status_code: 100, sms };
    }
    if (request.path === "/sms/cost") {
      // https://sms.ru/api/cost: the price per number without sending.
      if (!p.msg) return error(203);
      const parts = smsParts(p.msg);
      const sms: Record<string, object> = {};
      let total = 0;
      for (const number of (p.to ?? "").split(",").filter(Boolean).map(digitsOf)) {
        const refused = phoneFailures.get(number) ?? (isNumber(number) ? undefined : 202);
        if (refused !== undefined) sms[number] = error(refused);
        else {
          sms[number] = { status: "OK", status_code: 100, cost: money(parts * price), sms: parts };
          total = money(total + parts * price);
        }
      }
      return { status: "OK", status_code: 100, sms, total_cost: total, total_sms: parts };
    }
    if (request.path !== "/sms/send") return error(211);
    if (!p.msg) return error(203);
    const cost = money(smsParts(p.msg) * price);
    const numbers = (p.to ?? "").split(",").filter(Boolean).map(digitsOf);
    if (balance < cost * numbers.length) return error(201);
    const sms: Record<string, object> = {};
    let left = balance;
    for (const number of numbers) {
      const refused = phoneFailures.get(number) ?? (isNumber(number) ? undefined : 202);
      if (refused !== undefined) {
        sms[number] = error(refused);
        continue;
      }
      sequence += 1;
      const smsId = `${String(sequence).padStart(6, "0")}-${10_000_000 + sequence}`;
      messages.set(smsId, { statusCode: 100, cost });
      left = money(left - cost);
      sms[number] = { status: "OK", status_code: 100, sms_id: smsId };
    }
    balances.set(apiId, left);
    return { status: "OK", status_code: 100, sms, balance: left };
  }

  const server = await listen((request) => {
    const failure = apiFailures.get(request.params.api_id ?? "");
    if (typeof failure === "object") return { status: failure.httpStatus, text: failure.body ?? "<html><body>Internal Server Error</body></html>" };
    const json = answer(request) as { status_code: number };
    // Without json=1 sms.ru answers in lines of text; an adapter that forgets it must notice.
    return request.params.json === "1" ? { json } : { text: `${json.status_code}\n` };
  }, received);

  return {
    url: server.url,
    received,
    failApiId: (apiId, failure) => void apiFailures.set(apiId, failure),
    failPhone: (phone, statusCode) => void phoneFailures.set(digitsOf(phone), statusCode),
    setBalance: (apiId, roubles) => void balances.set(apiId, roubles),
    setStatus(smsId, statusCode) {
      const message = messages.get(smsId);
      if (!message) throw new Error(`sms.ru stand-in: no message ${smsId}`);
      message.statusCode = statusCode;
    },
    close: server.close,
  };
}

// --- smsc.ru --------------------------------------------------------------------------------------

/** smsc.ru's `error` strings (fmt=3) for its error_code values. */
const SMSC_ERRORS: Record<number, string> = {
  1: "parameters error",
  2: "authorise error",
  3: "no money",
  4: "IP is blocked",
  5: "invalid date format",
  6: "message is denied",
  7: "invalid number",
  8: "message cannot be delivered",
  9: "duplicate request, wait a minute",
};

export type SmscStandIn = {
  url: string;
  received: StandInRequest[];
  /** Later requests from this login or API key get this error_code (1, 3, 4, 6, 9…) or HTTP failure. */
  failAccount(loginOrApiKey: string, failure: number | HttpFailure): void;
  /** Sends to this number are refused with this error_code (6, 7, 8); the answer carries the message id. */
  failPhone(phone: string, errorCode: number): void;
  setBalance(loginOrApiKey: string, amount: number): void;
  /** smsc.ru status codes: -1 waiting, 0 at the operator, 1 delivered, 3 expired, 20 undeliverable, 22 wrong number… */
  setStatus(id: string, status: number, err?: number): void;
  close(): Promise<void>;
};

export type SmscStandInOptions = {
  /** login → password; every other pair is refused with error 2. */
  accounts?: Record<string, string>;
  apiKeys?: string[];
  pricePerSms?: number;
  currency?: string;
};

export async function startSmscStandIn(options: SmscStandInOptions = {}): Promise<SmscStandIn> {
  const accounts = options.accounts ?? {};
  const apiKeys = new Set(options.apiKeys ?? []);
  const price = options.pricePerSms ?? 3.5;
  const received: StandInRequest[] = [];
  const failures = new Map<string, number | HttpFailure>();
  const phoneFailures = new Map<string, number>();
  const balances = new Map<string, number>();
  const messages = new Map<string, { phone: string; status: number; err: number; at: Date }>();
  let nextId = 1000;

  const fail = (code: number, id?: number) => ({ json: { error: SMSC_ERRORS[code], error_code: code, ...(id !== undefined ? { id } : {}) } });

  function answer(request: StandInRequest) {
    const p = request.params;
    const account = p.apikey ?? p.login ?? "";
    const failure = failures.get(account);
    if (typeof failure === "object") return { status: failure.httpStatus, text: failure.body ?? "<html><body>502 Bad Gateway</body></html>" };
    const authorised = p.apikey !== undefined ? apiKeys.has(p.apikey) : p.login !== undefined && accounts[p.login] === p.psw;
    if (!authorised) return fail(2);
    if (failure !== undefined) return fail(failure);
    const balance = balances.get(account) ?? 100;
    if (request.path === "/sys/balance.php")
      return { json: { balance: balance.toFixed(2), ...(p.cur === "1" ? { currency: options.currency ?? "RUB" } : {}) } };
    if (request.path === "/sys/status.php") {
      const message = messages.get(p.id ?? "");
      if (!message || message.phone !== digitsOf(p.phone ?? "")) return { json: { status: -3, last_date: "", last_timestamp: 0, flag: 0, err: 0 } };
      const date = message.at.toISOString().replace(/^(\d+)-(\d+)-(\d+)T([\d:]+).*$/, "$3.$2.$1 $4");
      return { json: { status: message.status, last_date: date, last_timestamp: Math.floor(message.at.getTime() / 1000), flag: 0, err: message.err } };
    }
    if (request.path !== "/sys/send.php") return { status: 404, text: "Not Found" };
    if (!p.phones || !p.mes) return fail(1);
    const phone = digitsOf(p.phones);
    const cnt = smsParts(p.mes);
    const cost = money(cnt * price);
    if (p.cost === "1") return { json: { cost: cost.toFixed(2), cnt } };
    const id = nextId++;
    const refused = phoneFailures.get(phone) ?? (isNumber(phone) ? undefined : 7);
    if (refused !== undefined) return fail(refused, id);
    if (balance < cost) return fail(3, id);
    balances.set(account, money(balance - cost));
    messages.set(String(id), { phone, status: 0, err: 0, at: new Date() });
    const extra = p.cost === "2" ? { cost: cost.toFixed(2) } : p.cost === "3" ? { cost: cost.toFixed(2), balance: (balance - cost).toFixed(2) } : {};
    return { json: { id, cnt, ...extra } };
  }

  const server = await listen((request) => {
    const result = answer(request);
    // fmt=0 (the default) is "key = value" text; an adapter that forgets fmt=3 must notice.
    if (request.params.fmt === "3" || !("json" in result)) return result;
    return {
      text: Object.entries(result.json as object)
        .map(([key, value]) => `${key} = ${value}`)
        .join(", "),
    };
  }, received);

  return {
    url: server.url,
    received,
    failAccount: (account, failure) => void failures.set(account, failure),
    failPhone: (phone, errorCode) => void phoneFailures.set(digitsOf(phone), errorCode),
    setBalance: (account, amount) => void balances.set(account, amount),
    setStatus(id, status, err = 0) {
      const message = messages.get(id);
      if (!message) throw new Error(`smsc.ru stand-in: no message ${id}`);
      Object.assign(message, { status, err, at: new Date() });
    },
    close: server.close,
  };
}
