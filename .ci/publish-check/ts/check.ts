// Real calls with the types openapi-typescript generated from the spec, through the
// typed wrapper of client.ts. Run by .ci/publish-check.sh against the fake Stamps
// server, with its STAMPS_* lines in the environment; sets a non-zero exit code,
// saying what was wrong, if a call fails or its decoded answer is not what the
// server must have sent.

import { StampsClient, type Result } from "./client.js";

const failures: string[] = [];

function check(ok: boolean, what: string): void {
  console.log(`${ok ? "ok  " : "FAIL"} ${what}`);
  if (!ok) failures.push(what);
}

function env(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set (run by .ci/publish-check.sh)`);
  return value;
}

/** The decoded answer of a successful call; a failed call is a check failure. */
function data<T>(result: Result<T>, what: string): T | undefined {
  check(result.ok, `${what} succeeds${result.ok ? "" : `: ${result.status} ${JSON.stringify(result.error)}`}`);
  return result.ok ? result.data : undefined;
}

const baseUrl = env("STAMPS_BASE_URL");
const token = env("STAMPS_TOKEN");
const merchant = Number(env("STAMPS_MERCHANT"));
const user = env("STAMPS_USER");
const client = new StampsClient(baseUrl, token);

// GET: the credential in the header only, as every page now shows it.
const details = data(await client.get("/api/v2/memberships/details", { user, merchant }), "get_member_details");
check(details?.user?.email === user, `get_member_details: user.email is ${user}`);
const balance = details?.membership?.balance;
check(typeof balance === "number", `get_member_details: membership.balance is ${balance}`);

// POST: the credential in the header only. (`type` is optional in the spec, with a default;
// openapi-typescript 7 types a property with a default as always present, so it is
// sent, as in the docs' JSON example.)
const credited = data(
  await client.post("/api/balances/credit", { user, amount: 250, type: "stamps", merchant, store: 1 }),
  "credit_balance",
);
check(
  balance !== undefined && credited?.customer?.balance === balance + 250,
  `credit_balance: balance ${balance} + 250 = ${(balance ?? 0) + 250}`,
);

// A v2 POST, then a GET of what it created.
const email = `ts-${Math.floor(Math.random() * 1e9)}@example.com`;
const mobile = `+62813${String(Math.floor(Math.random() * 1e7)).padStart(7, "0")}`;
const registered = data(
  await client.post("/api/v2/memberships/register", {
    merchant,
    name: "TypeScript Check",
    email,
    mobile_number: mobile,
    birthday: "1991-10-19",
    gender: "female",
    store: 1,
  }),
  "register_member",
);
check(registered?.email === email, `register_member: email is ${email}`);
const profile = data(await client.get("/api/v2/memberships/full-profile", { user: email }), "get_full_profile");
check(profile?.user?.name === "TypeScript Check", "get_full_profile: the registered member's name");

// A wrong key: 401 with the documented error body.
const refused = await new StampsClient(baseUrl, "wrong").get("/api/v2/memberships/details", {
  user,
  merchant,
});
check(
  !refused.ok && refused.status === 401 && typeof refused.error === "object" && refused.error.detail === "Invalid token",
  `a wrong key gets 401 Invalid token: ${JSON.stringify(refused)}`,
);

if (failures.length > 0) {
  console.log(`typescript: ${failures.length} check(s) failed`);
  process.exitCode = 1;
} else {
  console.log("typescript: all checks passed");
}

/**
 * Never called: each call below must fail to compile, which `@ts-expect-error`
 * checks (tsc fails if the line compiles). So the generated types do constrain calls.
 */
export function mustNotCompile(c: StampsClient): void {
  // @ts-expect-error: `amount` is a number.
  void c.post("/api/balances/credit", { user, amount: "250", type: "stamps", merchant, store: 1 });
  // @ts-expect-error: `store` is required.
  void c.post("/api/balances/credit", { user, amount: 250, type: "stamps", merchant });
  // @ts-expect-error: `merchant` is a required query parameter.
  void c.get("/api/v2/memberships/details", { token, user });
  // @ts-expect-error: the details API is a GET, not a POST.
  void c.post("/api/v2/memberships/details", { token, user, merchant });
  // @ts-expect-error: no such path.
  void c.get("/api/v2/memberships/detail", { token, user, merchant });
  // @ts-expect-error: a child's `gender` is "m" or "f".
  void c.post("/api/children/add", { user, name: "x", birthday: "2020-01-01", gender: "female" });
}
