// Test support: starts an emulator on 127.0.0.1:0 (minimal seed unless told otherwise), mints a full-access token
// for its administrator, then clears the call log and rate-limit buckets so the test starts from a clean slate.

import { startEmulator, type Emulator, type StartEmulatorOptions } from '../../../src/emulator/index.js';
import { send } from './http.js';

/** A started emulator and a valid bearer token of its administrator (Primary Org). */
export interface TestEmulator {
  readonly emulator: Emulator;
  readonly token: string;
}

/** Starts an emulator and mints an admin token with the admin's password. */
export async function startTestEmulator(options: StartEmulatorOptions = {}): Promise<TestEmulator> {
  const emulator = await startEmulator({ seed: 'minimal', ...options });
  try {
    const token = await mintToken(emulator);
    emulator.reset();
    return { emulator, token };
  } catch (err) {
    await emulator.close();
    throw err;
  }
}

/** Mints a full-access token for the administrator in the Primary Org (one API call, logged like any other). */
export async function mintToken(emulator: Emulator, validitySec = 3600): Promise<string> {
  const { username, password } = emulator.adminCredentials;
  const result = await send(emulator.url, 'POST', '/api/rest/2.0/auth/token/full', {
    body: { username, password, org_id: 0, validity_time_in_sec: validitySec },
  });
  if (result.status !== 200) throw new Error(`Minting a test token failed with ${result.status}: ${result.text}`);
  return result.json<{ token: string }>().token;
}
