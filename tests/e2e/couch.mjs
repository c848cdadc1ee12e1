// A CouchDB-protocol server for the sync tests and the sync benchmark:
// pouchdb-server (npm, pinned in package.json), in memory on 127.0.0.1,
// its CORS restricted to the site's origin. Databases are made before the
// admin exists (once there is an admin, pouchdb-server crashes on a PUT of
// a new database by anyone else); the user may read and write the
// database (`_security`).
import { spawn } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

export const USER = "ada";
export const PASSWORD = "correct horse";
const ADMIN = "admin:admin-secret";

export class Couch {
  constructor(url, child) {
    this.url = url;
    this.child = child;
  }

  /** Starts a server on `port` with the databases `dbs`, open to `origin`. */
  static async start(port, origin, dbs) {
    // It writes a config and a log where it runs.
    const cwd = mkdtempSync(join(tmpdir(), "leadline-couch-"));
    const child = spawn(
      join(process.cwd(), "node_modules/.bin/pouchdb-server"),
      ["--in-memory", "--host", "127.0.0.1", "--port", String(port)],
      { cwd, stdio: "ignore" },
    );
    const couch = new Couch(`http://127.0.0.1:${port}`, child);
    for (let i = 0; ; i++) {
      try {
        if ((await fetch(couch.url)).ok) break;
      } catch {
        if (i > 100) throw new Error("pouchdb-server did not start");
      }
      await new Promise((r) => setTimeout(r, 100));
    }
    for (const db of dbs) await couch.call("PUT", `/${db}`, undefined, false);
    await couch.call("PUT", "/_config/admins/admin", "admin-secret", false);
    await couch.call("PUT", `/_users/org.couchdb.user:${USER}`, {
      name: USER,
      password: PASSWORD,
      roles: [],
      type: "user",
    });
    for (const db of dbs) await couch.secure(db);
    await couch.allowOrigin(origin);
    return couch;
  }

  /** Only the user may use the database. */
  async secure(db) {
    await this.call("PUT", `/${db}/_security`, {
      admins: { names: [], roles: [] },
      members: { names: [USER], roles: [] },
    });
  }

  async allowOrigin(origin) {
    await this.call("PUT", "/_config/cors/origins", origin);
  }

  /** A request as the admin (`asAdmin`) or as nobody; the answer's JSON. */
  async call(method, path, body, asAdmin = true) {
    const headers = { "Content-Type": "application/json" };
    if (asAdmin) headers.Authorization = `Basic ${Buffer.from(ADMIN).toString("base64")}`;
    const response = await fetch(this.url + path, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    if (!response.ok) throw new Error(`${method} ${path}: ${response.status} ${text}`);
    return JSON.parse(text);
  }

  /** Every document's id, and the ids of those that hold conflicts. */
  async documents(db) {
    const all = await this.call("GET", `/${db}/_all_docs?include_docs=true&conflicts=true`);
    return {
      ids: all.rows.map((r) => r.id),
      conflicted: all.rows.filter((r) => (r.doc._conflicts ?? []).length > 0).map((r) => r.id),
    };
  }

  stop() {
    this.child.kill();
  }
}
