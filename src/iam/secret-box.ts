/**
 * Seals secrets (access key secrets, later signing keys) at rest with AES-256-GCM under a
 * master key. The master key comes from OPENTRAIL_MASTER_KEY (base64, 32 bytes) or, by default,
 * from `<data-dir>/master.key` (created once, mode 0600). Keeping it in the environment keeps it
 * out of backups of the data directory.
 */
import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { ConfigError } from '../config/config-error.js';
import { decodeMasterKey, describeFsError, MASTER_KEY_BYTES, readMasterKeyFile } from './master-key.js';

const VERSION = 'v1';
/** Header of sealed bytes: magic and format version. */
const BYTES_MAGIC = Buffer.from('OTB1', 'ascii');
const IV_BYTES = 12;
const TAG_BYTES = 16;

export class SecretBox {
  readonly #key: Buffer;
  readonly #subkeys = new Map<string, Buffer>();

  constructor(key: Buffer) {
    if (key.length !== MASTER_KEY_BYTES) throw new Error(`master key must be ${MASTER_KEY_BYTES} bytes`);
    this.#key = key;
  }

  /**
   * Loads the master key from the environment value, else from the file, creating it if absent.
   * A key that is unreadable or not base64 of 32 bytes is a ConfigError naming its source.
   */
  static open(envValue: string | undefined, keyFile: string): SecretBox {
    if (envValue !== undefined && envValue !== '') {
      return new SecretBox(decodeMasterKey(envValue, 'OPENTRAIL_MASTER_KEY'));
    }
    // 'wx' fails if the file exists (or another process created it first); then we read that one.
    try {
      writeFileSync(keyFile, randomBytes(MASTER_KEY_BYTES).toString('base64') + '\n', { mode: 0o600, flag: 'wx' });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') {
        throw new ConfigError(`cannot create the master key file ${keyFile}: ${describeFsError(error)}`, { cause: error });
      }
    }
    return new SecretBox(readMasterKeyFile(keyFile));
  }

  seal(plaintext: string): string {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.#key, iv);
    const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
    return [VERSION, iv.toString('base64'), cipher.getAuthTag().toString('base64'), body.toString('base64')].join(':');
  }

  open(sealed: string): string {
    const [version, iv, tag, body] = sealed.split(':');
    if (version !== VERSION || iv === undefined || tag === undefined || body === undefined) {
      throw new Error('sealed secret has an unknown format');
    }
    const decipher = createDecipheriv('aes-256-gcm', this.#key, Buffer.from(iv, 'base64'));
    decipher.setAuthTag(Buffer.from(tag, 'base64'));
    return Buffer.concat([decipher.update(Buffer.from(body, 'base64')), decipher.final()]).toString('utf8');
  }

  /**
   * Seals binary data under a key derived from the master key and `context` (HKDF-SHA256, with
   * the context as its info); the context is also bound as associated data, so bytes sealed for
   * one context never open under another. Layout: "OTB1" | 12-byte IV | 16-byte tag | ciphertext.
   */
  sealBytes(plaintext: Buffer, context: string): Buffer {
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv('aes-256-gcm', this.#subkey(context), iv);
    cipher.setAAD(Buffer.from(context, 'utf8'));
    const body = Buffer.concat([cipher.update(plaintext), cipher.final()]);
    return Buffer.concat([BYTES_MAGIC, iv, cipher.getAuthTag(), body]);
  }

  /** Opens what `sealBytes` sealed with the same context; throws on any tampering or another key. */
  openBytes(sealed: Buffer, context: string): Buffer {
    const head = BYTES_MAGIC.length;
    if (sealed.length < head + IV_BYTES + TAG_BYTES || !sealed.subarray(0, head).equals(BYTES_MAGIC)) {
      throw new Error('sealed bytes have an unknown format');
    }
    const iv = sealed.subarray(head, head + IV_BYTES);
    const tag = sealed.subarray(head + IV_BYTES, head + IV_BYTES + TAG_BYTES);
    const decipher = createDecipheriv('aes-256-gcm', this.#subkey(context), iv);
    decipher.setAAD(Buffer.from(context, 'utf8'));
    decipher.setAuthTag(tag);
    return Buffer.concat([decipher.update(sealed.subarray(head + IV_BYTES + TAG_BYTES)), decipher.final()]);
  }

  #subkey(context: string): Buffer {
    let key = this.#subkeys.get(context);
    if (key === undefined) {
      key = Buffer.from(hkdfSync('sha256', this.#key, Buffer.alloc(0), Buffer.from(`opentrail:${context}`, 'utf8'), 32));
      this.#subkeys.set(context, key);
    }
    return key;
  }
}
