import { randomBytes } from "node:crypto";
import postgres from "postgres";

/** Creates an empty database beside the one DATABASE_URL names, so every test run starts clean. */
export async function createFreshDatabase(baseUrl, purpose) {
  const url = new URL(baseUrl);
  const base = decodeURIComponent(url.pathname.slice(1)) || "postgres";
  const name = `${base}_${purpose}_${Date.now().toString(36)}_${randomBytes(3).toString("hex")}`
    .toLowerCase()
    .replace(/[^a-z0-9_]/g, "_")
    .slice(0, 63);
  const sql = postgres(baseUrl, { max: 1, onnotice: () => {} });
  try {
    await sql.unsafe(`create database "${name}"`);
  } finally {
    await sql.end();
  }
  url.pathname = `/${name}`;
  return { url: url.toString(), name };
}

export async function dropDatabase(baseUrl, name) {
  const sql = postgres(baseUrl, { max: 1, onnotice: () => {} });
  try {
    await sql.unsafe(`drop database if exists "${name}" with (force)`);
  } finally {
    await sql.end();
  }
}

/** A new database copied from a migrated template (fast: a file copy, no migrations), for one test file. */
export async function createDatabaseFrom(templateUrl, maintenanceUrl) {
  const url = new URL(templateUrl);
  const template = decodeURIComponent(url.pathname.slice(1));
  const name = `${template.slice(0, 50)}_f${randomBytes(3).toString("hex")}`;
  // Never connected to the template itself: a connection there would block every copy of it.
  const sql = postgres(maintenanceUrl, { max: 1, onnotice: () => {} });
  try {
    // Copies of one template made at the same moment can collide on its lock: try again shortly.
    for (let attempt = 1; ; attempt++) {
      try {
        await sql.unsafe(`create database "${name}" template "${template}"`);
        break;
      } catch (err) {
        if (attempt >= 20 || !/being accessed by other users/.test(String(err))) throw err;
        await new Promise((resolve) => setTimeout(resolve, 100 * attempt));
      }
    }
  } finally {
    await sql.end();
  }
  url.pathname = `/${name}`;
  return { url: url.toString(), name };
}

/** Drops every database whose name matches a LIKE pattern (what a killed test file left behind). */
export async function dropDatabasesLike(baseUrl, pattern) {
  const sql = postgres(baseUrl, { max: 1, onnotice: () => {} });
  try {
    const rows = await sql`select datname from pg_database where datname like ${pattern}`;
    for (const { datname } of rows) await sql.unsafe(`drop database if exists "${datname}" with (force)`);
  } finally {
    await sql.end();
  }
}
