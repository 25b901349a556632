import { readFile } from "node:fs/promises";

import type { HardhatRuntimeEnvironment } from "hardhat/types/hre";

import type { Hex } from "../core/records/stack-record.js";
import type { CompiledCode, CompiledCodeSource, ImmutableReferences } from "../core/verify/compiled-code.js";

/**
 * Compiled code from the project's artifacts, with the immutable references the local bytecode
 * match needs: from the artifact when Hardhat wrote them there, otherwise from the build info
 * output (`contracts[source][name].evm.deployedBytecode.immutableReferences`).
 */
export function createCompiledCodeSource(hre: HardhatRuntimeEnvironment): CompiledCodeSource {
  return {
    async read(name) {
      if (!(await hre.artifacts.artifactExists(name))) return undefined;
      const artifact = await hre.artifacts.readArtifact(name);
      const immutableReferences = artifact.immutableReferences ?? (await fromBuildInfo(hre, artifact));
      const compiled: CompiledCode = {
        contractName: artifact.contractName,
        fullyQualifiedName: `${artifact.sourceName}:${artifact.contractName}`,
        abi: artifact.abi,
        bytecode: artifact.bytecode as Hex,
        deployedBytecode: artifact.deployedBytecode as Hex,
        immutableReferences: immutableReferences,
      };
      return compiled;
    },
  };
}

async function fromBuildInfo(
  hre: HardhatRuntimeEnvironment,
  artifact: { sourceName: string; contractName: string; inputSourceName?: string },
): Promise<ImmutableReferences> {
  const id = await hre.artifacts.getBuildInfoId(`${artifact.sourceName}:${artifact.contractName}`);
  const file = id === undefined ? undefined : await hre.artifacts.getBuildInfoOutputPath(id);
  if (file === undefined) return {};
  const output = JSON.parse(await readFile(file, "utf8")) as {
    output: {
      contracts?: Record<
        string,
        Record<string, { evm?: { deployedBytecode?: { immutableReferences?: ImmutableReferences } } }>
      >;
    };
  };
  const source = artifact.inputSourceName ?? artifact.sourceName;
  return output.output.contracts?.[source]?.[artifact.contractName]?.evm?.deployedBytecode?.immutableReferences ?? {};
}
