import { getAddress } from "ethers";

import { ERRORS, ReleaseError } from "./errors.js";
import type { Address } from "./types.js";

/**
 * An address given on the command line, checksummed; RS1010 for anything else. A mixed-case
 * address must carry a valid EIP-55 checksum: a wrong one is a typo (or a swap) to stop at.
 */
export function parseAddressOption(option: string, value: string, task: string): Address {
  const text = value.trim();
  if (!/^0x[0-9a-fA-F]{40}$/.test(text)) {
    throw new ReleaseError(ERRORS.CONFIG.INVALID_OPTION, {
      option,
      value: JSON.stringify(value),
      reason: "expected a 0x-prefixed 20-byte hex address",
      task,
    });
  }
  try {
    return getAddress(text) as Address;
  } catch {
    throw new ReleaseError(ERRORS.CONFIG.INVALID_OPTION, {
      option,
      value: text,
      reason: "its mixed-case checksum (EIP-55) is wrong: check every character, or write it in lower case",
      task,
    });
  }
}
