import { ERRORS, ReleaseError } from "../errors.js";
import type { Address, Hex } from "../records/stack-record.js";
import type { TransactionToEstimate } from "./estimate-transaction-cost.js";

export interface TransactionInput {
  to?: string;
  data?: string;
  value?: string;
  from?: string;
}

const ADDRESS = /^0x[0-9a-fA-F]{40}$/;

/** Checks --to/--data/--value/--from as typed on the command line; RS5103 names the bad one. */
export function readTransactionInput(input: TransactionInput): TransactionToEstimate {
  const bad = (message: string) => new ReleaseError(ERRORS.GAS.INVALID_TX, { message });
  if (input.to === undefined || input.to === "") throw bad("--to is required");
  if (!ADDRESS.test(input.to)) throw bad(`--to ${JSON.stringify(input.to)} is not a 0x-prefixed 20-byte address`);
  const data = input.data ?? "0x";
  if (!/^0x([0-9a-fA-F]{2})*$/.test(data)) throw bad(`--data must be 0x-prefixed hex with whole bytes`);
  if (input.from !== undefined && !ADDRESS.test(input.from))
    throw bad(`--from ${JSON.stringify(input.from)} is not an address`);
  const valueText = input.value ?? "0";
  if (!/^\d+$/.test(valueText)) throw bad(`--value ${JSON.stringify(valueText)} is not a whole number of wei`);
  return {
    to: input.to as Address,
    data: data as Hex,
    value: BigInt(valueText),
    ...(input.from === undefined ? {} : { from: input.from as Address }),
  };
}
