import { randomBytes } from "node:crypto";
import postgres from "postgres";

/** Creates an empty database beside the one DATABASE_URL names, so every test run starts clean. */
export async function createFreshDatabase(baseUrl, purpose) {
  const url = new URL(baseUrl);
  const base = decodeURIComponent(url.pathname.slice(1)) || "postgres";
  const name = `${base}_${purpose}_${Date.now().toString(36)}_${randomBytes(3).toString("hex")}`.toLowerCase().replace(/[^a-z0-9_]/g, "_").slice(0, 63);
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
