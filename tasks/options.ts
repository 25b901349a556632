import { parseWeiAmount } from "../src/core/config/release-config.js";
import { ERRORS, ReleaseError } from "../src/core/errors.js";

/** Hardhat options need a default; an empty one means "not given" for options that are required. */
export function required(value: string, option: string): string {
  if (value.trim() === "") throw new ReleaseError(ERRORS.CONFIG.MISSING_OPTION, { option });
  return value.trim();
}

/** `--max-fee`: a bare number is gwei ("--max-fee 80"); "80 gwei" and "80000000000 wei" work too. */
export function parseMaxFee(text: string): bigint {
  return parseWeiAmount(/^\s*\d+(\.\d+)?\s*$/.test(text) ? `${text} gwei` : text);
}
