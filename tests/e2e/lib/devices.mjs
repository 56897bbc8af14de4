// Signing devices as polkadot.js users drive them: the proof of possession a registration
// carries, and the signature over a reading. Both payloads are the pallet's SCALE encodings
// (`registration_payload`, `reading_payload`): a domain tag's raw bytes, the genesis hash as a
// byte slice (compact length 32), then the fields.

import { compactToU8a, stringToU8a, u8aConcat, u8aToHex } from '@polkadot/util';
import { decodeAddress } from '@polkadot/util-crypto';
import { submit } from './council.mjs';

const genesis = (api) => u8aConcat(compactToU8a(32), api.genesisHash.toU8a());

/** Registers `device` (a keypair) for `metrics` of `organization`, signed by its `manager`. */
export async function registerDevice(api, device, metrics, manager, organization) {
  const payload = u8aConcat(
    stringToU8a('perfledger/device/v1'),
    genesis(api),
    decodeAddress(device.address),
    api.createType('u32', organization).toU8a(),
  );
  const proof = { Sr25519: u8aToHex(device.sign(payload)) };
  return submit(api, api.tx.records.registerDevice(device.address, metrics, proof), manager);
}

/** The device's signature over `reading` (a `Reading` created with the API's registry), raw. */
export function signReading(api, device, reading) {
  return device.sign(u8aConcat(stringToU8a('perfledger/reading/v1'), genesis(api), reading.toU8a()));
}
