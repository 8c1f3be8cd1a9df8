import canonicalize from 'canonicalize';

export const BUNDLE_FORMAT = 'qadaga-evidence-bundle/1';

export const FILES = {
  manifest: 'manifest.json',
  events: 'events.ndjson',
  eventsCsv: 'events.csv',
  chainProof: 'chain-proof.json',
  rules: 'rules.json',
  flags: 'flags.json',
  case: 'case.json',
  accessLog: 'access-log.ndjson',
  summary: 'summary.html',
} as const;

export interface ManifestFile {
  name: string;
  sha256: string;
  size: number;
}

export interface ManifestSignature {
  algorithm: 'Ed25519';
  keyId: string;
  publicKey: string;
  signature: string;
}

export interface Manifest {
  format: string;
  productVersion: string;
  generatedAt: string;
  generatedBy: { id: string; name?: string };
  reason: string;
  selection: Record<string, unknown>;
  case: { id: string; number: string | null; title: string | null } | null;
  counts: { events: number; flags: number; rules: number; checkpoints: number; accessLogRows: number };
  /** The product's public keys when the bundle was made: who may have signed its checkpoints. */
  productKeys: { keyId: string; publicKey: string }[];
  remarks: string[];
  files: ManifestFile[];
  signature: ManifestSignature;
}

/** What the signature covers: the canonical manifest without its signature block. */
export function manifestSigningText(manifest: Omit<Manifest, 'signature'> | Manifest): string {
  const { signature: _signature, ...unsigned } = manifest as Manifest;
  const text = canonicalize(unsigned);
  if (text === undefined) throw new Error('manifest cannot be canonicalised');
  return text;
}
