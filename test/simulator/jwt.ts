import { generateKeyPairSync, randomUUID, sign, verify } from "node:crypto";
import type { JsonWebKey, KeyObject } from "node:crypto";

/** Signs and checks the simulator's JSON Web Tokens (ES256), one key per issuer. */

const b64url = (data: Buffer | string): string => Buffer.from(data).toString("base64url");

/** A JWT's claims. */
export type JwtClaims = Record<string, unknown> & {
  iss?: string;
  aud?: string;
  exp?: number;
  sub?: string;
};

/** Why a token was refused. */
export type JwtCheck =
  | { ok: true; claims: JwtClaims }
  | { ok: false; reason: "malformed" | "signature" | "expired"; claims?: JwtClaims };

/** An ES256 signer with its own key and key id. */
export class JwtSigner {
  readonly keyId = randomUUID();
  readonly #privateKey: KeyObject;
  readonly #publicKey: KeyObject;

  constructor() {
    const pair = generateKeyPairSync("ec", { namedCurve: "P-256" });
    this.#privateKey = pair.privateKey;
    this.#publicKey = pair.publicKey;
  }

  /** The public key as a JWKS entry. */
  jwk(): JsonWebKey & { kid: string; use: string; alg: string } {
    return {
      ...this.#publicKey.export({ format: "jwk" }),
      kid: this.keyId,
      use: "sig",
      alg: "ES256",
    };
  }

  sign(claims: JwtClaims): string {
    const header = b64url(JSON.stringify({ alg: "ES256", typ: "JWT", kid: this.keyId }));
    const payload = b64url(JSON.stringify(claims));
    const signature = sign("sha256", Buffer.from(`${header}.${payload}`), {
      key: this.#privateKey,
      dsaEncoding: "ieee-p1363",
    });
    return `${header}.${payload}.${b64url(signature)}`;
  }

  /** Checks the signature and `exp` (seconds since the epoch) against `nowMs`. */
  check(token: string, nowMs: number): JwtCheck {
    const parts = token.split(".");
    if (parts.length !== 3) return { ok: false, reason: "malformed" };
    let claims: JwtClaims;
    try {
      claims = JSON.parse(Buffer.from(parts[1]!, "base64url").toString("utf8")) as JwtClaims;
    } catch {
      return { ok: false, reason: "malformed" };
    }
    const valid = verify(
      "sha256",
      Buffer.from(`${parts[0]}.${parts[1]}`),
      { key: this.#publicKey, dsaEncoding: "ieee-p1363" },
      Buffer.from(parts[2]!, "base64url"),
    );
    if (!valid) return { ok: false, reason: "signature", claims };
    if (typeof claims.exp !== "number" || claims.exp * 1000 <= nowMs)
      return { ok: false, reason: "expired", claims };
    return { ok: true, claims };
  }
}
