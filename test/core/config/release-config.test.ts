import { expect } from "chai";
import { configVariable } from "hardhat/config";
import { createHardhatRuntimeEnvironment } from "hardhat/hre";

import baseConfig from "../../../hardhat.config.js";
import { validateReleaseConfig, type ReleaseUserConfig } from "../../../src/core/config/release-config.js";

const A = "0x70997970C51812dc3A010C7d01b50e0d17dc79C8";
const B = "0x3C44CdDdB6a900fa2b585dd299e03d12FA4293BC";
const C = "0x90F79bf6EB2c4f870365E785982E1f101E93b906";

function network(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    owners: { owners: [A, B, C], threshold: 2 },
    guardian: { owners: [C], threshold: 1 },
    timelock: { minDelay: 3600 },
    rollbackWindow: 86400,
    proxies: { Vault: { contract: "VaultV1", args: ["1"] } },
    ...overrides,
  };
}

function codes(net: Record<string, unknown>): string[] {
  return validateReleaseConfig({ networks: { mainnet: net } }).map((issue) => issue.code);
}

describe("validateReleaseConfig", function () {
  it("accepts the example configuration", function () {
    expect(validateReleaseConfig(baseConfig.release)).to.deep.equal([]);
  });

  it("accepts an existing Safe given by address", function () {
    expect(codes(network({ guardian: { address: C } }))).to.deep.equal([]);
  });

  it("refuses a value of the wrong type (RS1002)", function () {
    expect(codes(network({ rollbackWindow: "one day" }))).to.deep.equal(["RS1002"]);
  });

  it("refuses a missing section (RS1002)", function () {
    const { timelock: _dropped, ...withoutTimelock } = network();
    expect(codes(withoutTimelock)).to.deep.equal(["RS1002"]);
  });

  it("refuses an unknown key, so a typo is not silently ignored (RS1002)", function () {
    expect(codes(network({ rollbackWindw: 1 }))).to.deep.equal(["RS1002"]);
  });

  it("refuses a malformed address (RS1002)", function () {
    expect(codes(network({ guardian: { owners: ["0x1234"], threshold: 1 } }))).to.deep.equal(["RS1002"]);
  });

  it("refuses a mixed-case address whose EIP-55 checksum is wrong, but accepts it in lower case (RS1002)", function () {
    const flipped = A.replace("C51812dc", "c51812dc");
    expect(flipped).to.not.equal(A);
    expect(codes(network({ guardian: { owners: [flipped], threshold: 1 } }))).to.deep.equal(["RS1002"]);
    expect(codes(network({ guardian: { owners: [A.toLowerCase()], threshold: 1 } }))).to.deep.equal([]);
  });

  it("refuses a Safe with neither an address nor owners and threshold (RS1002)", function () {
    expect(codes(network({ guardian: { threshold: 1 } }))).to.deep.equal(["RS1002"]);
  });

  it("refuses a threshold higher than the number of owners (RS1003)", function () {
    expect(codes(network({ owners: { owners: [A, B], threshold: 3 } }))).to.deep.equal(["RS1003"]);
  });

  it("refuses a zero threshold (RS1002)", function () {
    expect(codes(network({ owners: { owners: [A, B], threshold: 0 } }))).to.deep.equal(["RS1002"]);
  });

  it("accepts 1 to 64 confirmations and refuses anything else (RS1002)", function () {
    expect(codes(network({ confirmations: 3 }))).to.deep.equal([]);
    for (const confirmations of [0, 65, 1.5, "2"]) {
      expect(codes(network({ confirmations })), String(confirmations)).to.deep.equal(["RS1002"]);
    }
  });

  it("refuses duplicate owners, whatever their case (RS1004)", function () {
    expect(codes(network({ owners: { owners: [A, B, A.toLowerCase()], threshold: 2 } }))).to.deep.equal(["RS1004"]);
  });

  it("refuses the zero address as an owner (RS1005)", function () {
    expect(codes(network({ guardian: { owners: [`0x${"0".repeat(40)}`], threshold: 1 } }))).to.deep.equal(["RS1005"]);
  });

  it("refuses the zero address as an existing Safe (RS1005)", function () {
    expect(codes(network({ guardian: { address: `0x${"0".repeat(40)}` } }))).to.deep.equal(["RS1005"]);
  });

  it("refuses a timelock delay below the default policy minimum of one hour (RS1006)", function () {
    expect(codes(network({ timelock: { minDelay: 60 } }))).to.deep.equal(["RS1006"]);
  });

  it("refuses a timelock delay below the network's own policy minimum (RS1006)", function () {
    expect(codes(network({ timelock: { minDelay: 3600 }, policy: { minTimelockDelay: 172800 } }))).to.deep.equal([
      "RS1006",
    ]);
  });

  it("accepts a short delay where the network's policy allows it", function () {
    expect(codes(network({ timelock: { minDelay: 60 }, policy: { minTimelockDelay: 60 } }))).to.deep.equal([]);
  });

  describe("transactionService", function () {
    const service = (value: unknown) =>
      validateReleaseConfig({ networks: { mainnet: network({ transactionService: value }) } });

    it("accepts a self-hosted service by URL, and Safe's hosted one by API key (a string or a configVariable)", function () {
      expect(service({ url: "https://safe-tx.example.org/api" })).to.deep.equal([]);
      expect(service({ url: "http://127.0.0.1:8000/txs/api/", timeout: 5000 })).to.deep.equal([]);
      expect(service({ apiKey: "key" })).to.deep.equal([]);
      expect(service({ apiKey: configVariable("SAFE_API_KEY") })).to.deep.equal([]);
    });

    it("refuses a URL that is not api-kit's base URL, a service with neither URL nor key, and a hosted one without a key", function () {
      const messages = (value: unknown) => service(value).map((issue) => `${issue.code} ${issue.message}`);
      expect(messages({ url: "https://safe-tx.example.org/" })[0]).to.match(/RS1002 .*ends in \/api/);
      expect(messages({ url: "ftp://example.org/api" })[0]).to.match(/RS1002/);
      expect(messages({})[0]).to.match(/RS1002 give `url`/);
      expect(messages({ url: "https://api.safe.global/tx-service/eth/api" })[0]).to.match(/RS1002 .*apiKey/);
      expect(messages({ url: "https://safe-tx.example.org/api", apiKey: 42 })[0]).to.match(/RS1002/);
      expect(messages({ url: "https://safe-tx.example.org/api", retries: 3 })[0]).to.match(/RS1002/);
    });
  });

  it("refuses a rollback window longer than the contracts accept (RS1007)", function () {
    expect(codes(network({ rollbackWindow: 31 * 86400 }))).to.deep.equal(["RS1007"]);
  });

  it("makes Hardhat refuse to load a project with an invalid release config, naming the field and the code", async function () {
    const release: ReleaseUserConfig = {
      networks: { mainnet: network({ owners: { owners: [A], threshold: 2 } }) as never },
    };
    try {
      await createHardhatRuntimeEnvironment({ ...baseConfig, release });
      expect.fail("the configuration was accepted");
    } catch (error) {
      const message = (error as Error).message;
      expect(message).to.contain("HHE15");
      expect(message).to.contain("release.networks.mainnet.owners.threshold");
      expect(message).to.contain("RS1003");
    }
  });
});
