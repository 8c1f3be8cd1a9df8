import type { EndpointContract } from '@qadaga/contracts/api';
import { request } from './client.js';
import { pathOf } from './call.js';

/**
 * Files behind the bearer token cannot be plain links: fetch them with the token, then
 * hand the browser a local object URL to save under the server's name.
 */
export async function downloadWithToken(contract: EndpointContract, params: Record<string, string>, fallbackName: string): Promise<void> {
  await saveResponse(await request(pathOf(contract, params), { method: contract.method }), fallbackName);
}

/** Hands the browser a fetched file to save, under the name the server gave it (else `fallbackName`). */
export async function saveResponse(response: Response, fallbackName: string): Promise<void> {
  const disposition = response.headers.get('content-disposition') ?? '';
  const match = /filename="?([^";]+)"?/u.exec(disposition);
  const name = match?.[1] === undefined ? fallbackName : decodeURIComponent(match[1]);
  const url = URL.createObjectURL(await response.blob());
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/** A file's bytes as base64, for JSON uploads. */
export async function fileToBase64(file: Blob): Promise<string> {
  const bytes = new Uint8Array(await file.arrayBuffer());
  let binary = '';
  const CHUNK = 0x8000;
  for (let i = 0; i < bytes.length; i += CHUNK) binary += String.fromCharCode(...bytes.subarray(i, i + CHUNK));
  return btoa(binary);
}
