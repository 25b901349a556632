import type { Hex } from "../records/stack-record.js";

/** Byte ranges of the runtime code that the constructor fills in (solc's `immutableReferences`). */
export type ImmutableReferences = Record<string, Array<{ start: number; length: number }>>;

/** What the local bytecode match and the verifier need to know about a compiled contract. */
export interface CompiledCode {
  /** The contract's name, as records name it (e.g. "VaultV1"). */
  contractName: string;
  /** `<source name>:<contract name>`, as hardhat-verify wants it. */
  fullyQualifiedName: string;
  abi: readonly unknown[];
  /** Creation code, without constructor arguments. */
  bytecode: Hex;
  /** Runtime code, immutables zero-filled, metadata trailer included. */
  deployedBytecode: Hex;
  immutableReferences: ImmutableReferences;
}

/**
 * Where the core gets compiled code from. The task builds it from `hre.artifacts` (and the build
 * info when an artifact lacks `immutableReferences`), so the core stays Hardhat-free.
 */
export interface CompiledCodeSource {
  /** The contract by name, or undefined when the project does not compile it. */
  read(contractName: string): Promise<CompiledCode | undefined>;
}
