import { parseWeiAmount } from "../src/core/config/release-config.js";
import { ERRORS, ReleaseError } from "../src/core/errors.js";

/** A required option or argument (Hardhat's are optional here, so a missing one gets RS1009). */
export function required(value: string | undefined, option: string): string {
  if (value === undefined || value.trim() === "") throw new ReleaseError(ERRORS.CONFIG.MISSING_OPTION, { option });
  return value.trim();
}

/** `--max-fee`: a bare number is gwei ("--max-fee 80"); "80 gwei" and "80000000000 wei" work too. */
export function parseMaxFee(text: string): bigint {
  return parseWeiAmount(/^\s*\d+(\.\d+)?\s*$/.test(text) ? `${text} gwei` : text);
}

/** `--acknowledge RF-003,RF-013`: the warning codes a signer or executor accepts. */
export function parseAcknowledge(text: string | undefined, task: string): string[] {
  const codes = (text ?? "")
    .split(",")
    .map((code) => code.trim().toUpperCase())
    .filter((code) => code !== "");
  for (const code of codes) {
    if (!/^RF-\d{3}$/.test(code)) {
      throw new ReleaseError(ERRORS.CONFIG.INVALID_OPTION, {
        option: "--acknowledge",
        value: JSON.stringify(code),
        reason: "expected red flag codes such as RF-003, comma-separated",
        task,
      });
    }
  }
  return codes;
}

/** `--block`: a block number; RS1010 for anything else. */
export function parseBlock(text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  if (!/^\d+$/.test(text.trim())) {
    throw new ReleaseError(ERRORS.CONFIG.INVALID_OPTION, {
      option: "--block",
      value: JSON.stringify(text),
      reason: "expected a block number",
      task: "release rehearse",
    });
  }
  return Number(text.trim());
}
