/**
 * Credentials at rest: AES-256-GCM with a key from the environment (CITYOPS_SECRET_KEY).
 * Sealed form: "v1.<iv b64>.<tag b64>.<ciphertext b64>".
 */
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

export function seal(plaintext: string, keyHex: string): string {
  const key = Buffer.from(keyHex, 'hex');
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  const data = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
  return ['v1', iv.toString('base64'), cipher.getAuthTag().toString('base64'), data.toString('base64')].join('.');
}

export function open(sealed: string, keyHex: string): string {
  const [version, iv, tag, data] = sealed.split('.');
  if (version !== 'v1' || !iv || !tag || !data) throw new Error('sealed credentials are not in the v1 format');
  const decipher = createDecipheriv('aes-256-gcm', Buffer.from(keyHex, 'hex'), Buffer.from(iv, 'base64'));
  decipher.setAuthTag(Buffer.from(tag, 'base64'));
  try {
    return Buffer.concat([decipher.update(Buffer.from(data, 'base64')), decipher.final()]).toString('utf8');
  } catch {
    throw new Error('sealed credentials could not be opened: wrong CITYOPS_SECRET_KEY or tampered data');
  }
}

export function newKeyHex(): string {
  return randomBytes(32).toString('hex');
}
