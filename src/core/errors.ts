import { HardhatPluginError } from "@nomicfoundation/hardhat-errors";

/** The plugin id Hardhat prints next to our errors. */
export const PLUGIN_ID = "release-safety";

/**
 * An error kind: a stable code (tests and scripts match on it, never on the wording), a message
 * template with `{name}` placeholders saying what happened, and a hint saying what to do.
 *
 * Code ranges: 1xxx config, 2xxx deploy/upgrade, 3xxx Safe/proposals, 4xxx verify, 5xxx RPC/gas,
 * 6xxx rehearsal, 7xxx records.
 */
export interface ErrorDescriptor {
  code: `RS${number}`;
  template: string;
  hint: string;
}

export const ERRORS = {
  CONFIG: {
    NETWORK_NOT_CONFIGURED: {
      code: "RS1001",
      template: 'The network "{network}" has no release configuration.',
      hint: 'Add `release.networks["{network}"]` to hardhat.config.ts (see README, "Configuration").',
    },
    INVALID: {
      code: "RS1002",
      template: "{message}",
      hint: 'Fix the value in hardhat.config.ts (see README, "Configuration").',
    },
    NO_ACCOUNT: {
      code: "RS1008",
      template: 'The network "{network}" has no account to send transactions from.',
      hint: 'Set `networks.{network}.accounts` in hardhat.config.ts, e.g. [configVariable("DEPLOYER_KEY")], and store the key with `npx hardhat keystore set DEPLOYER_KEY`.',
    },
    THRESHOLD_ABOVE_OWNERS: {
      code: "RS1003",
      template: "The threshold {threshold} is higher than the number of owners ({owners}).",
      hint: "Lower the threshold or add owners.",
    },
    DUPLICATE_OWNER: {
      code: "RS1004",
      template: "The owner {owner} is listed more than once.",
      hint: "List each owner once: a Safe counts distinct owners only.",
    },
    ZERO_ADDRESS: {
      code: "RS1005",
      template: "The zero address cannot be {what}.",
      hint: "Use a real account you control.",
    },
    DELAY_BELOW_POLICY: {
      code: "RS1006",
      template: "The timelock delay {delay}s is below this network's policy minimum of {minimum}s.",
      hint: "Raise `timelock.minDelay`, or lower `policy.minTimelockDelay` for this network if the team agrees.",
    },
    WINDOW_TOO_LONG: {
      code: "RS1007",
      template: "The rollback window {window}s exceeds the maximum of {maximum}s that the contracts accept.",
      hint: "Use a window of at most 30 days; instant rollback is meant for the first hours after a release.",
    },
  },
  DEPLOY: {
    SAFE_NOT_FOUND: {
      code: "RS2001",
      template: "No contract is deployed at the {role} Safe address {address}.",
      hint: "Check the address and the network, or remove `address` to let the tool deploy a new Safe.",
    },
    SAFE_MISMATCH: {
      code: "RS2002",
      template: "The existing {role} Safe at {address} differs from the configuration: {difference}.",
      hint: "Make the configuration match the Safe (or change the Safe's owners through the Safe itself) and run again.",
    },
    IMPLEMENTATION_REFUSED: {
      code: "RS2003",
      template: "OpenZeppelin's upgrade validation refused {contract}: {reason}",
      hint: "Fix the contract so it is upgrade-safe (UUPS, no constructor state, no selfdestruct/delegatecall), then run again.",
    },
    NO_SAFE_FACTORY: {
      code: "RS2004",
      template: "Chain {chainId} has no Safe singleton factory and no presigned deployment for it is known.",
      hint: "Deploy Safe v1.4.1 on this chain first (see safe-global/safe-singleton-factory), or adopt existing Safes by address.",
    },
    FOREIGN_CODE: {
      code: "RS2005",
      template: "The code at {address} is not the expected {contract}.",
      hint: "Something else is deployed at a canonical address on this chain: stop and investigate before trusting it.",
    },
    ASSERTION_FAILED: {
      code: "RS2006",
      template: "The deployed stack does not match what was intended:\n{findings}",
      hint: "Do not use this stack. Inspect it with `npx hardhat release status`, fix the cause and run deploy again.",
    },
    CONFIG_CHANGED: {
      code: "RS2007",
      template: "The configuration no longer matches the deployed stack: {difference}.",
      hint: "Deploy never changes governance of an existing stack: revert the configuration, or change the stack through a proposal.",
    },
    UNKNOWN_CONTRACT: {
      code: "RS2008",
      template: 'The contract "{contract}" is not among the compiled artifacts.',
      hint: "Check the name in `release.networks.<network>.proxies` and run `npx hardhat build`.",
    },
    TX_FAILED: {
      code: "RS2009",
      template: "The transaction for step {step} failed ({hash}).",
      hint: "Nothing after it was sent. Inspect the transaction, fix the cause and run again: finished steps are skipped.",
    },
    INITIALIZER_NOT_FOUND: {
      code: "RS2010",
      template:
        'The contract "{contract}" has no function "{initializer}" taking (timelock, guardian, rollbackWindow{extra}).',
      hint: "A governed contract's initializer takes (address timelock, address guardian, uint64 rollbackWindow, ...your args): check `args` and `initializer`.",
    },
  },
  RPC: {
    CHAIN_ID_MISMATCH: {
      code: "RS5001",
      template: "The network {network} reports chainId {actual}, but its records were written for chainId {expected}.",
      hint: "Check the RPC URL: it points at another chain. Records are never shared between chains.",
    },
  },
  RECORDS: {
    LOCKED: {
      code: "RS7001",
      template: "Another release command (pid {pid}, since {since}) is working on {dir}.",
      hint: "Wait for it to finish. If no such process runs any more, delete {lockFile}.",
    },
    CORRUPT: {
      code: "RS7002",
      template: "The records file {file} cannot be read: {reason}.",
      hint: "Restore it from git (`git checkout -- {file}`); the tool never overwrites a file it cannot read.",
    },
    NOT_FOUND: {
      code: "RS7003",
      template: "No release records exist for the network {network} ({dir}).",
      hint: "Run `npx hardhat release deploy --network {network}` first, or check the network name.",
    },
    PENDING_TX: {
      code: "RS7005",
      template:
        "The transaction for step {step} (from {from}, nonce {nonce}, hash {hash}) sent by an earlier run is still pending.",
      hint: "Wait until it is mined (or replace it from your wallet), then run the command again: it continues from there.",
    },
    UNSUPPORTED_SCHEMA: {
      code: "RS7004",
      template: "The records file {file} has schema version {version}; this tool reads version {supported}.",
      hint: "Use the toolkit version that wrote it, or upgrade the toolkit.",
    },
  },
} as const satisfies Record<string, Record<string, ErrorDescriptor>>;

/** Fills `{name}` placeholders; a placeholder without a value stays visible rather than vanishing. */
function fill(template: string, values: Record<string, unknown>): string {
  return template.replace(/\{(\w+)\}/g, (whole, key: string) => (key in values ? String(values[key]) : whole));
}

/**
 * The only error the toolkit throws on purpose. Hardhat prints it as
 * `Error in plugin release-safety: RS2003: <what happened>` followed by the hint.
 */
export class ReleaseError extends HardhatPluginError {
  public readonly code: ErrorDescriptor["code"];
  public readonly descriptor: ErrorDescriptor;
  public readonly values: Record<string, unknown>;

  constructor(descriptor: ErrorDescriptor, values: Record<string, unknown> = {}, cause?: Error) {
    super(
      PLUGIN_ID,
      `${descriptor.code}: ${fill(descriptor.template, values)}\nHint: ${fill(descriptor.hint, values)}`,
      cause,
    );
    this.code = descriptor.code;
    this.descriptor = descriptor;
    this.values = values;
  }

  /** True when `error` is a ReleaseError, of the given kind if one is named. */
  static is(error: unknown, descriptor?: ErrorDescriptor): error is ReleaseError {
    return error instanceof ReleaseError && (descriptor === undefined || error.code === descriptor.code);
  }
}
