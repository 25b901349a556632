import { readFile } from "node:fs/promises";

import type { HardhatRuntimeEnvironment } from "hardhat/types/hre";

import type { Hex } from "../core/types.js";

interface AstNode {
  nodeType?: string;
  id?: number;
  name?: string;
  kind?: string;
  visibility?: string;
  functionSelector?: string;
  linearizedBaseContracts?: number[];
  modifiers?: Array<{ modifierName?: { name?: string } }>;
  nodes?: AstNode[];
}

const INITIALIZER_MODIFIERS = new Set(["initializer", "reinitializer"]);

/**
 * The selectors of a contract's initializers (external or public functions with OpenZeppelin's
 * `initializer` or `reinitializer` modifier, inherited ones included), read from the AST in the
 * compiler output of its build. The review uses them to tell an upgrade's initializer call from
 * any other call smuggled into `upgradeToAndCall`.
 */
export async function readInitializers(hre: HardhatRuntimeEnvironment, name: string): Promise<Hex[] | undefined> {
  if (!(await hre.artifacts.artifactExists(name))) return undefined;
  const artifact = await hre.artifacts.readArtifact(name);
  const id = await hre.artifacts.getBuildInfoId(`${artifact.sourceName}:${artifact.contractName}`);
  const file = id === undefined ? undefined : await hre.artifacts.getBuildInfoOutputPath(id);
  if (file === undefined) return undefined;
  const output = JSON.parse(await readFile(file, "utf8")) as {
    output: { sources?: Record<string, { ast?: AstNode }> };
  };
  const contracts = new Map<number, AstNode>();
  for (const source of Object.values(output.output.sources ?? {})) {
    for (const node of source.ast?.nodes ?? []) {
      if (node.nodeType === "ContractDefinition" && node.id !== undefined) contracts.set(node.id, node);
    }
  }
  const contract = [...contracts.values()].find(
    (c) => c.name === artifact.contractName && (c.linearizedBaseContracts?.length ?? 0) > 0,
  );
  if (contract === undefined) return undefined;
  const selectors = new Set<Hex>();
  for (const baseId of contract.linearizedBaseContracts ?? []) {
    for (const fn of contracts.get(baseId)?.nodes ?? []) {
      if (fn.nodeType !== "FunctionDefinition" || fn.functionSelector === undefined) continue;
      if (fn.modifiers?.some((m) => INITIALIZER_MODIFIERS.has(m.modifierName?.name ?? ""))) {
        selectors.add(`0x${fn.functionSelector}`);
      }
    }
  }
  return [...selectors];
}
