import type { Hex } from "../records/stack-record.js";

/** A compiled contract, as Hardhat's artifacts hold it. */
export interface ContractArtifact {
  contractName: string;
  sourceName: string;
  abi: readonly unknown[];
  bytecode: Hex;
  deployedBytecode: Hex;
}

/** Where the core gets compiled contracts from (the task passes `hre.artifacts`). */
export interface ArtifactSource {
  /** The artifact of a contract by name, or undefined when the project does not compile it. */
  read(contractName: string): Promise<ContractArtifact | undefined>;
  /**
   * Selectors of the contract's initializers: its external functions (its bases' included) guarded
   * by `initializer` or `reinitializer`, from the compiler's AST. Undefined when not known.
   */
  initializers?(contractName: string): Promise<Hex[] | undefined>;
}

/**
 * Checks that a contract is safe to put behind a UUPS proxy (OpenZeppelin's validation in the
 * task); throws with the validator's explanation when it is not.
 */
export type ImplementationValidator = (contractName: string) => Promise<void>;
