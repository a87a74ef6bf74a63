import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { createCardsCsvReader, CSV_MAX_ROWS, parseCardsCsv, type CsvParseOptions, type CsvRowError, type CsvValidRow } from "@/lib/cards/csv";
import { issueCardSchema } from "@/lib/validations/cards";
import { BALANCE_MAX, CUSTOM_VALUE_MAX } from "@/lib/validations/limits";

// Rows are checked by the API's own schemas, which read the clock: "now" is set for the whole file.
const NOW = new Date("2025-06-15T12:00:00Z");
beforeAll(() => {
  vi.useFakeTimers({ toFake: ["Date"] });
  vi.setSystemTime(NOW);
});
afterAll(() => vi.useRealTimers());
const parse = (text: string, options: Partial<CsvParseOptions> = {}) => parseCardsCsv(text, { defaultCountry: "RU", customKeys: ["level"], ...options });
const phone = (i: number) => `+7916${String(1_000_000 + i)}`;

describe("parseCardsCsv: file format", () => {
  it.each([
    [",", "Ivanov; Ivan\tJr", "Ivanov; Ivan Jr"],
    [";", "Ivanov, Ivan\tJr", "Ivanov, Ivan Jr"],
    ["\t", "Ivanov, Ivan; Jr", "Ivanov, Ivan; Jr"],
  ])("detects %j from the header and leaves the other delimiters in values (a tab in a value becomes a space)", (d, cell, name) => {
    const r = parse(`phone${d}name${d}balance\n79161234567${d}${cell}${d}10\n`);
    expect(r.fileErrors).toEqual([]);
    expect(r.rows).toEqual([{ line: 2, phone: "+79161234567", name, balance: 10, custom: {} }]);
  });

  it("counts delimiters in the header outside quotes only", () => {
    const r = parse('phone;"a,b,c"\n79161234567;x\n');
    expect(r.columns).toEqual([
      { header: "phone", field: "phone" },
      { header: "a,b,c", field: null },
    ]);
  });

  it("strips a UTF-8 byte order mark before a quoted header", () => {
    const r = parse('\uFEFF"Телефон";"Имя"\r\n"+7 916 123 45 67";"Иван"\r\n');
    expect(r.columns.map((c) => c.field)).toEqual(["phone", "name"]);
    expect(r.rows).toEqual([{ line: 2, phone: "+79161234567", name: "Иван", custom: {} }]);
  });

  it.each([
    ["LF", "\n"],
    ["CRLF", "\r\n"],
  ])("reads RFC 4180 quotes with %s line ends and numbers lines as in the file", (_name, eol) => {
    const text = ["phone,name,level", '79161234567,"Ivan ""the"" Great, Jr.",gold', `79161234568,"multi${eol}line${eol}name",""`, "bad,x,", ""].join(eol);
    const r = parse(text);
    expect(r.rows).toEqual([
      { line: 2, phone: "+79161234567", name: 'Ivan "the" Great, Jr.', custom: { level: "gold" } },
      // Names are single-line: the line breaks of a quoted cell become spaces.
      { line: 3, phone: "+79161234568", name: "multi line name", custom: {} },
    ]);
    expect(r.errors).toEqual([{ line: 6, column: "phone", field: "phone", message: "customers.errors.phone" }]);
    expect(r.total).toBe(3);
  });

  it("skips empty lines and lines of bare delimiters without losing line numbers", () => {
    const r = parse("\nphone;balance\n79161234567;10\n\n;;\n   \nbad;x\n79161234568;5");
    expect(r.total).toBe(3);
    expect(r.rows.map((row) => row.line)).toEqual([3, 8]);
    expect(r.errors.map((e) => [e.line, e.field, e.message])).toEqual([
      [7, "phone", "customers.errors.phone"],
      [7, "balance", "cards.csv.errors.balance"],
    ]);
  });

  it("keeps an empty last field after a trailing delimiter", () => {
    const r = parse("level,phone\ngold,79161234567\n,79161234568,");
    expect(r.rows.map((row) => row.custom)).toEqual([{ level: "gold" }, {}]);
  });
});

describe("parseCardsCsv: headers", () => {
  it.each([
    ["phone", "phone"],
    ["Телефон", "phone"],
    ["ТЕЛЕФОН", "phone"],
    [" Mobile ", "phone"],
    ["tel", "phone"],
    ["email", "email"],
    ["E-mail", "email"],
    ["Почта", "email"],
    ["Эл. почта", "email"],
    ["name", "name"],
    ["Full  Name", "name"],
    ["Имя", "name"],
    ["ФИО", "name"],
    ["Birthday", "birthday"],
    ["birth date", "birthday"],
    ["Дата рождения", "birthday"],
    ["Balance", "balance"],
    ["points", "balance"],
    ["Баланс", "balance"],
    ["Баллы", "balance"],
    ["discount", "discount"],
    ["Скидка", "discount"],
    ["expires", "expiresAt"],
    ["Expiry", "expiresAt"],
    ["Срок действия", "expiresAt"],
    ["number", "number"],
    ["Card Number", "number"],
    ["Номер", "number"],
    ["level", "custom:level"],
    ["LEVEL", "custom:level"],
    ["custom:level", "custom:level"],
    ["Custom: Level", "custom:level"],
    ["custom:other", null],
    ["colour", null],
  ])("reads %j as %j", (header, field) => {
    expect(parse(`${header}\n`).columns[0]).toEqual({ header: header.trim(), field });
  });

  it("gives a standard field precedence over a bare custom key of the same name", () => {
    const r = parse("phone,name,custom:name\n79161234567,Ivan,VIP\n", { customKeys: ["name"] });
    expect(r.columns.map((c) => c.field)).toEqual(["phone", "name", "custom:name"]);
    expect(r.rows[0]).toMatchObject({ name: "Ivan", custom: { name: "VIP" } });
  });

  it("warns about unknown columns and ignores their values", () => {
    const r = parse("phone,colour,level,notes\n79161234567,red,gold,call after 6\n");
    expect(r.ok).toBe(true);
    expect(r.warnings).toEqual([
      { message: "cards.csv.warnings.unknownColumn", params: { column: "colour" } },
      { message: "cards.csv.warnings.unknownColumn", params: { column: "notes" } },
    ]);
    expect(r.rows).toEqual([{ line: 2, phone: "+79161234567", custom: { level: "gold" } }]);
  });

  it("warns once about data under a column with no name, not about empty ones", () => {
    const r = parse("phone,,\n79161234567,,\n79161234568,,x\n79161234569,,y\n");
    expect(r.warnings).toEqual([{ message: "cards.csv.warnings.unnamedColumn", params: { position: 3 } }]);
    expect(r.rows).toHaveLength(3);
  });

  it.each([
    ["a missing phone column", "name,email\nIvan,ivan@example.com\n", [{ message: "cards.csv.errors.phoneColumnMissing" }]],
    ["a file that starts with data", "79161234567,Ivan\n79161234568,Olga\n", [{ message: "cards.csv.errors.headerMissing" }]],
    ["two columns for one field", "phone,Телефон\n79161234567,79161234568\n", [{ message: "cards.csv.errors.duplicateColumn", params: { column: "Телефон" } }]],
    ["an empty file", "", [{ message: "cards.csv.errors.empty" }]],
    ["a file of blank lines", "\uFEFF\r\n \r\n;;\r\n", [{ message: "cards.csv.errors.empty" }]],
    ["a header without rows", "phone,name\n\n", [{ message: "cards.csv.errors.noRows" }]],
    [
      "a quote never closed",
      'phone,name\n79161234567,ok\n79161234568,"Ivan\n79161234569,Olga\n',
      [{ message: "cards.csv.errors.unclosedQuote", params: { line: 3 } }],
    ],
  ])("refuses %s as a whole", (_name, text, fileErrors) => {
    const r = parse(text);
    expect(r.ok).toBe(false);
    expect(r.fileErrors).toEqual(fileErrors);
    expect(r.rows).toEqual([]);
    expect(r.errors).toEqual([]);
  });
});

describe("parseCardsCsv: values", () => {
  it("reads a Russian Excel export", () => {
    const text =
      "Телефон;ФИО;Эл. почта;Дата рождения;Баллы;Скидка;Срок действия;Номер карты;level\r\n" +
      "8 (916) 123-45-67;Иванов Иван;Ivan@Example.com;01.02.1990;1\u00a0500;10 %;31.12.2025;AB-0001;Золото\r\n";
    expect(parse(text).rows).toEqual([
      {
        line: 2,
        phone: "+79161234567",
        name: "Иванов Иван",
        email: "ivan@example.com",
        birthday: "1990-02-01",
        balance: 1500,
        discount: 10,
        expiresAt: new Date("2025-12-31T23:59:59Z"),
        number: "AB-0001",
        custom: { level: "Золото" },
      },
    ]);
  });

  it.each([
    ["balance", "0", 0],
    ["balance", "007", 7],
    ["balance", "1 000 000", 1_000_000],
    ["balance", "1\u202f500", 1500],
    ["balance", String(BALANCE_MAX), BALANCE_MAX],
    ["discount", "0", 0],
    ["discount", "100", 100],
    ["discount", "15%", 15],
    ["discount", "15 %", 15],
    ["expires", "2025-06-15", new Date("2025-06-15T23:59:59Z")],
    ["expires", "15.06.2025", new Date("2025-06-15T23:59:59Z")],
    ["expires", "1.7.2025", new Date("2025-07-01T23:59:59Z")],
    ["birthday", "1900-01-01", "1900-01-01"],
    ["birthday", "29.02.2024", "2024-02-29"],
    ["number", "1234", "1234"],
    // Upper-cased, as the API stores an own number (the schema is the API's).
    ["number", "ab-12-CD", "AB-12-CD"],
    ["email", " A@B.RU ", "a@b.ru"],
  ])("reads %s %j", (header, value, expected) => {
    const r = parse(`phone;${header}\n79161234567;${value}\n`);
    expect(r.errors).toEqual([]);
    const key = header === "expires" ? "expiresAt" : header;
    expect(r.rows[0]).toHaveProperty(key, expected);
  });

  it.each([
    ["phone", "12345", "customers.errors.phone", undefined],
    ["phone", "8 916 123 45 67 доб. 1", "customers.errors.phone", undefined],
    ["phone", "", "cards.csv.errors.phoneRequired", undefined],
    ["email", "not-an-email", "validation.email", undefined],
    ["name", "я".repeat(121), "validation.tooLong", undefined],
    ["birthday", "1899-12-31", "customers.errors.birthday", undefined],
    ["birthday", "31.02.1990", "customers.errors.birthday", undefined],
    ["birthday", "2025-06-17", "customers.errors.birthday", undefined],
    ["birthday", "Feb 1 1990", "customers.errors.birthday", undefined],
    ["balance", "-1", "cards.csv.errors.balance", { max: BALANCE_MAX }],
    ["balance", "1.5", "cards.csv.errors.balance", { max: BALANCE_MAX }],
    ["balance", "1,500", "cards.csv.errors.balance", { max: BALANCE_MAX }],
    ["balance", "12 34", "cards.csv.errors.balance", { max: BALANCE_MAX }],
    ["balance", String(BALANCE_MAX + 1), "cards.csv.errors.balance", { max: BALANCE_MAX }],
    ["discount", "101", "cards.csv.errors.discount", undefined],
    ["discount", "-5", "cards.csv.errors.discount", undefined],
    ["discount", "5.5", "cards.csv.errors.discount", undefined],
    ["discount", "%", "cards.csv.errors.discount", undefined],
    ["expires", "2025-13-01", "cards.csv.errors.expiry", undefined],
    ["expires", "06/30/2025", "cards.csv.errors.expiry", undefined],
    ["expires", "14.06.2025", "cards.csv.errors.expiryPast", undefined],
    ["number", "A-1", "cards.csv.errors.number", undefined],
    ["number", "A".repeat(33), "cards.csv.errors.number", undefined],
    ["number", "1234 5678", "cards.csv.errors.number", undefined],
    ["number", "№1234", "cards.csv.errors.number", undefined],
    ["level", "x".repeat(CUSTOM_VALUE_MAX + 1), "validation.tooLong", undefined],
  ])("refuses %s %j with %s on its line", (header, value, message, params) => {
    const column = header === "phone" ? "Phone" : header;
    const text = header === "phone" ? `Phone;name\n79161234560;ok\n${value};Ivan\n` : `Phone;${header}\n79161234560;\n79161234567;${value}\n`;
    const r = parse(text);
    const field = { expires: "expiresAt", level: "custom:level" }[header] ?? header;
    expect(r.errors).toEqual([{ line: 3, column, field, message, ...(params && { params }) }]);
    expect(r.rows.map((row) => row.line)).toEqual([2]);
    expect(r.ok).toBe(true);
  });

  it("reports every error of a row and keeps the row out", () => {
    const r = parse("phone,email,discount\nbad,bad,bad\n");
    expect(r.errors.map((e) => e.field)).toEqual(["phone", "email", "discount"]);
    expect(r.rows).toEqual([]);
  });

  it("refuses the second and later occurrences of a phone, however it is written", () => {
    const r = parse("phone;balance\n8 916 123-45-67;x\n+7 916 123 45 67;1\n79161234568;2\n79161234567;3\n");
    // The first occurrence counts even when that row has another error.
    expect(r.errors).toEqual([
      { line: 2, column: "balance", field: "balance", message: "cards.csv.errors.balance", params: { max: BALANCE_MAX } },
      { line: 3, column: "phone", field: "phone", message: "cards.csv.errors.duplicatePhone", params: { first: 2 } },
      { line: 5, column: "phone", field: "phone", message: "cards.csv.errors.duplicatePhone", params: { first: 2 } },
    ]);
    expect(r.rows.map((row) => row.line)).toEqual([4]);
  });

  it("refuses a repeated own card number, in any case (numbers are stored upper-case, so c-0001 is C-0001)", () => {
    const r = parse("phone,number\n79161234561,C-0001\n79161234562,C-0002\n79161234563,C-0001\n79161234564,c-0001\n");
    expect(r.errors).toEqual([
      { line: 4, column: "number", field: "number", message: "cards.csv.errors.duplicateNumber", params: { first: 2 } },
      { line: 5, column: "number", field: "number", message: "cards.csv.errors.duplicateNumber", params: { first: 2 } },
    ]);
    expect(r.rows.map((row) => row.number)).toEqual(["C-0001", "C-0002"]);
  });
});

describe("parseCardsCsv: size", () => {
  const file = (rows: number) =>
    ["phone,name,balance,expires", ...Array.from({ length: rows }, (_, i) => `${phone(i)},Customer ${i},${i},31.12.2030`)].join("\n");

  it.each([
    [2, 2, true],
    [3, 2, false],
  ])("with %i rows and maxRows %i is ok: %s", (rows, maxRows, ok) => {
    const r = parse(file(rows), { maxRows });
    expect(r.ok).toBe(ok);
    expect(r.total).toBe(rows);
    expect(r.fileErrors).toEqual(ok ? [] : [{ message: "cards.csv.errors.tooManyRows", params: { max: maxRows } }]);
    expect(r.rows).toHaveLength(ok ? rows : 0);
  });

  it("reads 200,000 rows, the default limit, and refuses one more", () => {
    expect(CSV_MAX_ROWS).toBe(200_000);
    const text = file(CSV_MAX_ROWS);
    const r = parse(text);
    expect(r.fileErrors).toEqual([]);
    expect(r.errors).toEqual([]);
    expect(r.total).toBe(CSV_MAX_ROWS);
    expect(r.rows).toHaveLength(CSV_MAX_ROWS);
    expect(r.rows[CSV_MAX_ROWS - 1]).toMatchObject({ line: CSV_MAX_ROWS + 1, phone: phone(CSV_MAX_ROWS - 1), balance: CSV_MAX_ROWS - 1 });
    expect(new Set(r.rows.map((row) => row.phone)).size).toBe(CSV_MAX_ROWS);

    const over = parse(`${text}\n${phone(CSV_MAX_ROWS)},One more,1,31.12.2030`);
    expect(over.fileErrors).toEqual([{ message: "cards.csv.errors.tooManyRows", params: { max: CSV_MAX_ROWS } }]);
    expect(over.total).toBe(CSV_MAX_ROWS + 1);
    // Two full parses of 200,000 rows: seconds on a quiet machine, more while other suites share its cores.
  }, 120_000);
});

describe("parseCardsCsv: control characters", () => {
  const CONTROLS = ["\u0000", "\u0001", "\u0008", "\u000b", "\u000c", "\u001b", "\u001f", "\u007f"];

  it.each(CONTROLS.map((c) => [JSON.stringify(c), c]))("refuses a cell holding %s as an error of its line, in every kind of column", (_name, c) => {
    const r = parse(
      [
        "phone,name,email,birthday,balance,discount,expires,number,level",
        `79161234567,A${c}B,a${c}@x.ru,1990-01-0${c}1,1${c}0,5${c}0,2030-01-0${c}1,AB${c}CD,go${c}ld`,
        `+7916${c}1000001,Ok,,,,,,,`,
        `${phone(2)},Fine,,,,,,,`,
      ].join("\n"),
    );
    expect(r.ok).toBe(true);
    const fields = ["name", "email", "birthday", "balance", "discount", "expiresAt", "number", "custom:level"];
    expect(r.errors).toEqual([
      ...fields.map((field) => expect.objectContaining({ line: 2, field, message: "validation.controlChars" })),
      expect.objectContaining({ line: 3, field: "phone", message: "validation.controlChars" }),
    ]);
    expect(r.rows).toEqual([{ line: 4, phone: phone(2), name: "Fine", custom: {} }]);
  });

  it("drops control characters from headers, which are shown back and stored with errors", () => {
    const r = parse('phone,"na\u0000me",odd\u0001col\n79161234567,Ivan,x\n');
    expect(r.columns).toEqual([
      { header: "phone", field: "phone" },
      { header: "name", field: "name" },
      { header: "oddcol", field: null },
    ]);
    expect(JSON.stringify(r)).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f]/);
  });
});

describe("createCardsCsvReader: a file that arrives in pieces", () => {
  const text =
    '\uFEFF"Телефон";ФИО;Баллы;Срок действия\r\n79161234567;"Иванов\r\nИван";1 500;31.12.2025\r\n\r\nbad;Olga;x;\r\n"+7 916 765-43-21";"Petr ""P"" ; Jr.";0;\r\n79161234567;Dup;;\r\n';
  // Parsed once the test clock is set (the expiry must not have passed).
  let whole: ReturnType<typeof parse>;
  beforeAll(() => void (whole = parse(text)));

  it.each([1, 2, 3, 5, 7, 64])("gives the same rows, errors and lines when written %i characters at a time", (size) => {
    const rows: CsvValidRow[] = [];
    const errors: CsvRowError[] = [];
    const reader = createCardsCsvReader({ defaultCountry: "RU", customKeys: ["level"], onRow: (row) => rows.push(row), onError: (e) => errors.push(e) });
    for (let i = 0; i < text.length; i += size) reader.write(text.slice(i, i + size));
    const summary = reader.end();
    expect(summary).toMatchObject({ ok: true, total: 4, valid: 2, invalid: 2 });
    expect(rows).toEqual(whole.rows);
    expect(errors).toEqual(whole.errors);
  });

  it("numbers lines as in the file across a quoted line break, a blank line and CRLF ends", () => {
    expect(whole.rows.map((r) => [r.line, r.name])).toEqual([
      [2, "Иванов Иван"],
      [6, 'Petr "P" ; Jr.'],
    ]);
    expect(whole.errors.map((e) => [e.line, e.field, e.message])).toEqual([
      [5, "phone", "customers.errors.phone"],
      [5, "balance", "cards.csv.errors.balance"],
      [7, "phone", "cards.csv.errors.duplicatePhone"],
    ]);
  });

  it("refuses a record of a megabyte (a quote gone astray) as unreadable at the line it starts on", () => {
    const r = parse(`phone,name\n79161234567,ok\n79161234568,"${"x".repeat(1024 * 1024)}\n`);
    expect(r.ok).toBe(false);
    expect(r.fileErrors).toEqual([{ message: "cards.csv.errors.unreadable", params: { line: 3 } }]);
  });
});

describe("parseCardsCsv: the API's own schemas decide", () => {
  const api = issueCardSchema("RU");
  const accepts = (values: Record<string, unknown>) =>
    api.safeParse({ templateId: "00000000-0000-4000-8000-000000000000", customer: { phone: "+79161234567" }, ...values }).success;

  it.each([
    ["balance", BALANCE_MAX, { balance: BALANCE_MAX }],
    ["balance", BALANCE_MAX + 1, { balance: BALANCE_MAX + 1 }],
    ["level", "x".repeat(CUSTOM_VALUE_MAX), { custom: { level: "x".repeat(CUSTOM_VALUE_MAX) } }],
    ["level", "x".repeat(CUSTOM_VALUE_MAX + 1), { custom: { level: "x".repeat(CUSTOM_VALUE_MAX + 1) } }],
    ["name", "я".repeat(120), { customer: { phone: "+79161234567", name: "я".repeat(120) } }],
    ["name", "я".repeat(121), { customer: { phone: "+79161234567", name: "я".repeat(121) } }],
    ["number", "ABCD", { number: "ABCD" }],
    ["number", "ABC", { number: "ABC" }],
    ["discount", 100, { discount: 100 }],
    ["discount", 101, { discount: 101 }],
  ])("%s %j: the CSV accepts it exactly when the API does", (header, value, body) => {
    const r = parse(`phone;${header}\n79161234567;${value}\n`);
    expect(r.rows.length === 1).toBe(accepts(body));
  });
});

describe("parseCardsCsv: the same limits as the cabinet and the API", () => {
  const api = issueCardSchema("RU");
  const apiValues = (values: Record<string, unknown>) =>
    api.safeParse({ templateId: "00000000-0000-4000-8000-000000000000", customer: { phone: "+79161234567" }, ...values });

  it("accepts the largest balance and the longest custom value the API accepts", () => {
    expect(apiValues({ balance: BALANCE_MAX, custom: { level: "x".repeat(CUSTOM_VALUE_MAX) } }).success).toBe(true);
    const r = parse(`phone;balance;level\n79161234567;${BALANCE_MAX};${"x".repeat(CUSTOM_VALUE_MAX)}\n`);
    expect(r.errors).toEqual([]);
    expect(r.rows[0]).toMatchObject({ balance: BALANCE_MAX, custom: { level: "x".repeat(CUSTOM_VALUE_MAX) } });
  });

  it("refuses one more, as the API does", () => {
    expect(apiValues({ balance: BALANCE_MAX + 1 }).success).toBe(false);
    expect(apiValues({ custom: { level: "x".repeat(CUSTOM_VALUE_MAX + 1) } }).success).toBe(false);
    const r = parse(`phone;balance;level\n79161234567;${BALANCE_MAX + 1};${"x".repeat(CUSTOM_VALUE_MAX + 1)}\n`);
    expect(r.errors.map((e) => e.field)).toEqual(["balance", "custom:level"]);
  });
});
