import { createHash, generateKeyPairSync, randomBytes, sign } from "node:crypto";
import type { KeyObject } from "node:crypto";

/**
 * A self-signed X.509 v3 certificate for the simulator's loopback HTTPS server, built with a
 * tiny DER encoder so that no `openssl` binary and no new dependency is needed.
 */

/** The simulator's TLS identity: the PEM certificate doubles as the CA clients must trust. */
export interface TlsIdentity {
  certPem: string;
  keyPem: string;
}

// --- A minimal DER encoder: only the types a certificate needs. ---

function derLength(length: number): Buffer {
  if (length < 0x80) return Buffer.from([length]);
  const bytes: number[] = [];
  for (let rest = length; rest > 0; rest >>= 8) bytes.unshift(rest & 0xff);
  return Buffer.from([0x80 | bytes.length, ...bytes]);
}

function tlv(tag: number, content: Buffer): Buffer {
  return Buffer.concat([Buffer.from([tag]), derLength(content.length), content]);
}

const sequence = (...items: Buffer[]): Buffer => tlv(0x30, Buffer.concat(items));
const set = (...items: Buffer[]): Buffer => tlv(0x31, Buffer.concat(items));
const octetString = (content: Buffer): Buffer => tlv(0x04, content);
const utf8String = (text: string): Buffer => tlv(0x0c, Buffer.from(text, "utf8"));
const booleanTrue = (): Buffer => tlv(0x01, Buffer.from([0xff]));
/** A context-specific, constructed, explicit tag such as `[0]` or `[3]`. */
const explicit = (tagNumber: number, content: Buffer): Buffer => tlv(0xa0 | tagNumber, content);
/** A BIT STRING with no unused bits. */
const bitString = (content: Buffer): Buffer =>
  tlv(0x03, Buffer.concat([Buffer.from([0]), content]));

function integer(value: Buffer): Buffer {
  // DER integers are two's complement: a leading 1 bit would make the serial negative.
  let bytes = value;
  while (bytes.length > 1 && bytes[0] === 0 && (bytes[1]! & 0x80) === 0) bytes = bytes.subarray(1);
  if ((bytes[0]! & 0x80) !== 0) bytes = Buffer.concat([Buffer.from([0]), bytes]);
  return tlv(0x02, bytes);
}

function objectIdentifier(dotted: string): Buffer {
  const arcs = dotted.split(".").map(Number);
  const bytes: number[] = [40 * arcs[0]! + arcs[1]!];
  for (const arc of arcs.slice(2)) {
    const chunk: number[] = [arc & 0x7f];
    for (let rest = arc >> 7; rest > 0; rest >>= 7) chunk.unshift(0x80 | (rest & 0x7f));
    bytes.push(...chunk);
  }
  return tlv(0x06, Buffer.from(bytes));
}

function utcTime(date: Date): Buffer {
  const iso = date.toISOString(); // 2026-11-21T10:00:00.000Z
  const text =
    iso.slice(2, 4) +
    iso.slice(5, 7) +
    iso.slice(8, 10) +
    iso.slice(11, 13) +
    iso.slice(14, 16) +
    iso.slice(17, 19) +
    "Z";
  return tlv(0x17, Buffer.from(text, "ascii"));
}

const OID = {
  commonName: "2.5.4.3",
  organization: "2.5.4.10",
  ecdsaWithSha256: "1.2.840.10045.4.3.2",
  basicConstraints: "2.5.29.19",
  keyUsage: "2.5.29.15",
  extendedKeyUsage: "2.5.29.37",
  subjectAltName: "2.5.29.17",
  subjectKeyIdentifier: "2.5.29.14",
  serverAuth: "1.3.6.1.5.5.7.3.1",
} as const;

function extension(oid: string, critical: boolean, value: Buffer): Buffer {
  return sequence(objectIdentifier(oid), ...(critical ? [booleanTrue()] : []), octetString(value));
}

function toPem(label: string, der: Buffer): string {
  const lines = der.toString("base64").match(/.{1,64}/g) ?? [];
  return `-----BEGIN ${label}-----\n${lines.join("\n")}\n-----END ${label}-----\n`;
}

/**
 * Makes a fresh EC P-256 key and a self-signed certificate valid for `127.0.0.1` and
 * `localhost`, marked CA:TRUE so it can be trusted as its own root (`NODE_EXTRA_CA_CERTS`).
 */
export function createSelfSignedCertificate(
  commonName = "regional-slot-swap simulator",
): TlsIdentity {
  const { privateKey, publicKey } = generateKeyPairSync("ec", { namedCurve: "P-256" });
  const spki = publicKey.export({ type: "spki", format: "der" });
  const name = sequence(
    set(sequence(objectIdentifier(OID.organization), utf8String("regional-slot-swap tests"))),
    set(sequence(objectIdentifier(OID.commonName), utf8String(commonName))),
  );
  const signatureAlgorithm = sequence(objectIdentifier(OID.ecdsaWithSha256));
  const now = Date.now();
  // Backdated an hour so small clock differences between processes never make it "not yet valid".
  const validity = sequence(
    utcTime(new Date(now - 3_600_000)),
    utcTime(new Date(now + 30 * 86_400_000)),
  );

  const subjectAltNames = sequence(
    tlv(0x87, Buffer.from([127, 0, 0, 1])), // [7] iPAddress
    tlv(0x82, Buffer.from("localhost", "ascii")), // [2] dNSName
  );
  // The public key bits, for the subject key identifier (RFC 5280 method 1: SHA-1 of the key).
  const keyBits = publicKeyBits(spki);
  const extensions = sequence(
    extension(OID.basicConstraints, true, sequence(booleanTrue())),
    // digitalSignature (bit 0) and keyCertSign (bit 5): 1000 0100, 2 unused bits.
    extension(OID.keyUsage, true, tlv(0x03, Buffer.from([0x02, 0x84]))),
    extension(OID.extendedKeyUsage, false, sequence(objectIdentifier(OID.serverAuth))),
    extension(OID.subjectAltName, false, subjectAltNames),
    extension(
      OID.subjectKeyIdentifier,
      false,
      octetString(createHash("sha1").update(keyBits).digest()),
    ),
  );

  const tbsCertificate = sequence(
    explicit(0, integer(Buffer.from([2]))), // version v3
    integer(randomBytes(16)),
    signatureAlgorithm,
    name,
    validity,
    name,
    spki,
    explicit(3, extensions),
  );
  const signature = sign("sha256", tbsCertificate, privateKey as KeyObject); // DER ECDSA-Sig-Value
  const certificate = sequence(tbsCertificate, signatureAlgorithm, bitString(signature));
  return {
    certPem: toPem("CERTIFICATE", certificate),
    keyPem: privateKey.export({ type: "pkcs8", format: "pem" }).toString(),
  };
}

/** The BIT STRING payload of a SubjectPublicKeyInfo (its last element), without the unused-bits byte. */
function publicKeyBits(spki: Buffer): Buffer {
  // SPKI = SEQUENCE { AlgorithmIdentifier, BIT STRING }; for P-256 the key is the final 65 bytes.
  return spki.subarray(spki.length - 65);
}
