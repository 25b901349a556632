import type { Provider } from "ethers";

import type { Address, Hex } from "../records/stack-record.js";
import type { CompiledCode } from "./compiled-code.js";
import { matchBytecode, type BytecodeMatch } from "./match-bytecode.js";

export interface CheckDeployedCodeParameters {
  provider: Pick<Provider, "getCode">;
  address: Address;
  compiled: CompiledCode;
}

export interface CheckDeployedCodeResult extends BytecodeMatch {
  address: Address;
  contract: string;
}

/**
 * Whether the code at `address` is `compiled` (see {@link matchBytecode}): the check a signer
 * relies on before approving an upgrade to an implementation, offline and without explorers.
 *
 * JSON-RPC: one eth_getCode.
 *
 * @example
 * const { status } = await checkDeployedCode({ provider, address: newImplementation, compiled });
 * if (status !== "exact") flag(`the implementation is not ${compiled.contractName} as compiled`);
 */
export async function checkDeployedCode({
  provider,
  address,
  compiled,
}: CheckDeployedCodeParameters): Promise<CheckDeployedCodeResult> {
  const code = (await provider.getCode(address)) as Hex;
  return { address, contract: compiled.contractName, ...matchBytecode(code, compiled) };
}
