import { inspect } from "node:util";

import { HardhatPluginError } from "@nomicfoundation/hardhat-errors";

/** The plugin id Hardhat prints next to our errors. */
export const PLUGIN_ID = "release-safety";

/**
 * An error kind: a stable code (tests and scripts match on it, never on the wording), a message
 * template with `{name}` placeholders saying what happened, and a hint saying what to do.
 *
 * Code ranges: 1xxx config, 2xxx deploy/upgrade, 3xxx Safe/proposals, 4xxx verify, 5xxx RPC/gas,
 * 6xxx rehearsal, 7xxx records, 8xxx the Safe Transaction Service.
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
    MISSING_OPTION: {
      code: "RS1009",
      template: "The option {option} is required.",
      hint: "Give it and run the command again; `--help` after the command lists its options.",
    },
    INVALID_OPTION: {
      code: "RS1010",
      template: "The option {option} cannot be {value}: {reason}.",
      hint: "See `npx hardhat {task} --help` for what it takes.",
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
      hint: "Do not use this stack. Inspect it with `npx hardhat release status --network {network}`, fix the cause and run deploy again.",
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
    ROLLBACK_UNSAFE: {
      code: "RS2011",
      template: "After upgrading to {contract}, the proxy could not safely return to {previous}: {reason}",
      hint: "Pass --no-rollback so the guardian can never roll back to code that misreads the new storage, or make the layouts compatible.",
    },
    INITIALIZER_NOT_FOUND: {
      code: "RS2010",
      template:
        'The contract "{contract}" has no function "{initializer}" taking (timelock, guardian, rollbackWindow{extra}).',
      hint: "A governed contract's initializer takes (address timelock, address guardian, uint64 rollbackWindow, ...your args): check `args` and `initializer`.",
    },
  },
  PROPOSAL: {
    // RS3050-RS3099: review, export and the proposal queue (the read side).
    UNSUPPORTED_EXPORT_FORMAT: {
      code: "RS3050",
      template: 'The export format "{format}" is not supported (supported: {supported}).',
      hint: "Use `--format tx-builder` (a Safe{Wallet} Transaction Builder batch file).",
    },
    PHASE_NOT_BUILT: {
      code: "RS3051",
      template: "The {phase} phase of {proposal} has no Safe transaction yet.",
      hint: "It is built when the previous phase executes: run `npx hardhat release execute {proposal} --network {network}` for that phase first.",
    },
    NOT_EXPORTABLE: {
      code: "RS3052",
      template: "{proposal} delegatecalls {to}, which the Transaction Builder cannot express.",
      hint: "Only calls and MultiSendCallOnly batches can be exported. Review the proposal with `npx hardhat release review {proposal} --network {network}`: such a delegatecall is a red flag.",
    },
    UNKNOWN_PROXY: {
      code: "RS3001",
      template: 'The records of {network} have no proxy named "{proxy}" (known: {known}).',
      hint: "Use a name from `npx hardhat release status --network {network}`.",
    },
    NOT_AN_OWNER: {
      code: "RS3002",
      template: "The signature recovers to {signer}, which is not an owner of the {role} Safe {safe}.",
      hint: "Ask an owner of that Safe to sign. A signature over another transaction also recovers to a stranger: check the safeTxHash with `release review`.",
    },
    SIGNATURE_MISMATCH: {
      code: "RS3003",
      template:
        "The signature is not {signer}'s signature of this transaction (safeTxHash {safeTxHash}); it recovers to {recovered}.",
      hint: "The signer signed another transaction (or another phase or nonce). Sign the safeTxHash that `release review` shows.",
    },
    MALFORMED_SIGNATURE: {
      code: "RS3004",
      template: "The signature is malformed: {reason}.",
      hint: "Pass the 65-byte signature (0x + 130 hex digits) exactly as the wallet produced it, or a nested Safe's contract signature as protocol-kit's buildSignatureBytes encodes it.",
    },
    DUPLICATE_SIGNATURE: {
      code: "RS3005",
      template: "{signer} has already signed this phase of {proposal}.",
      hint: "Nothing to do: each owner counts once. Ask another owner to sign.",
    },
    NOT_ENOUGH_SIGNATURES: {
      code: "RS3006",
      template: "{proposal} has {have} valid signature(s){stale}; the {role} Safe needs {need}.",
      hint: "Collect more signatures with `npx hardhat release sign {proposal} --signer <owner address> --network {network}`, then execute again.",
    },
    NONCE_USED: {
      code: "RS3007",
      template: "Nonce {nonce} of the {role} Safe is already used on chain (the Safe is at {current}).",
      hint: "Another transaction took this nonce, so this proposal can never execute. Propose it again: it gets a fresh nonce.",
    },
    NONCE_AHEAD: {
      code: "RS3008",
      template:
        "{proposal} uses nonce {nonce}, but the {role} Safe is at {current}: earlier transactions must execute first.",
      hint: "Execute (or replace) the proposals with nonces {current}..{before} first; `npx hardhat release proposals --network {network}` lists them.",
    },
    NOT_READY: {
      code: "RS3009",
      template: "The timelock operation of {proposal} is ready at {eta}, in {remaining}.",
      hint: "Run `npx hardhat release execute {proposal} --network {network}` after that time. The delay is what gives the guardian time to cancel.",
    },
    CANCELLED: {
      code: "RS3010",
      template: "{proposal} was cancelled{how}.",
      hint: "A cancelled operation cannot run. Propose it again if it is still wanted.",
    },
    ALREADY_EXECUTED: {
      code: "RS3011",
      template: "{proposal} has already been executed{how}.",
      hint: "Nothing to do. `npx hardhat release status --network {network}` shows the result.",
    },
    SIMULATION_FAILED: {
      code: "RS3012",
      template: "Executing {proposal} would fail on the current chain state: {reason}.",
      hint: "Nothing was sent. Check `npx hardhat release review {proposal} --network {network}`; the proposal may be stale (state changed since it was drafted).",
    },
    TAMPERED: {
      code: "RS3013",
      template: "{proposal} does not hold together: {reason}.",
      hint: "The file was edited after it was drafted or signed. Restore it from git, or propose again; never sign or execute it as is.",
    },
    WRONG_NETWORK: {
      code: "RS3014",
      template:
        "{proposal} was made for {proposalNetwork} (chainId {proposalChainId}), not for {network} (chainId {chainId}).",
      hint: "Pass the proposal's own network: `--network {proposalNetwork}`.",
    },
    UNKNOWN_PROPOSAL: {
      code: "RS3015",
      template: 'No proposal "{proposal}" exists for {network}.',
      hint: "`npx hardhat release proposals --network {network}` lists them.",
    },
    NO_ROLLBACK_TARGET: {
      code: "RS3016",
      template:
        "The proxy {proxy} has no rollback target: no upgrade recorded one, it was used, or governance cleared it.",
      hint: "Roll back through the timelock instead: `npx hardhat release propose rollback --proxy {proxy} --to <address|contract> --network {network}`.",
    },
    ROLLBACK_WINDOW_EXPIRED: {
      code: "RS3017",
      template: "The instant rollback window of {proxy} closed at {deadline}.",
      hint: "Roll back through the timelock instead: `npx hardhat release propose rollback --proxy {proxy} --to {target} --network {network}`.",
    },
    NOT_A_PREVIOUS_IMPLEMENTATION: {
      code: "RS3018",
      template: '"{to}" is not an earlier implementation of {proxy} in the records (known: {known}).',
      hint: "Roll back only to code this proxy has run before; anything else is an upgrade (`release propose upgrade`).",
    },
    NOT_SCHEDULED: {
      code: "RS3019",
      template: "{proposal} has no pending timelock operation to cancel ({state}).",
      hint: "Only a scheduled, not yet executed operation can be cancelled; a proposal that was never scheduled can simply be abandoned.",
    },
    SIGNER_UNAVAILABLE: {
      code: "RS3020",
      template: "The network {network} has no account {signer} to sign with.",
      hint: "Configure the key with configVariable and the keystore (or Ledger), or sign elsewhere and pass `--signature 0x...`.",
    },
    SAME_IMPLEMENTATION: {
      code: "RS3021",
      template: "{proxy} already runs {contract} at {implementation}.",
      hint: "Nothing to upgrade. Did you rebuild after changing the contract?",
    },
    INVALID_CALL: {
      code: "RS3022",
      template: 'The call "{call}" does not fit {contract}: {reason}.',
      hint: 'Write it as `fn(arg1,arg2)` with a function of the new implementation, e.g. --call "initializeV2()".',
    },
    EXECUTION_FAILED: {
      code: "RS3024",
      template:
        "{proposal}: transaction {hash} was mined, but the Safe did not report ExecutionSuccess for safeTxHash {safeTxHash}.",
      hint: "The Safe may have used the nonce for a failed call. Check `npx hardhat release status --network {network}` and the transaction; draft the proposal again if needed.",
    },
    UNEXPECTED_OUTCOME: {
      code: "RS3025",
      template:
        "{proposal} executed, but {proxy} now runs {actual} instead of {expected}; the records were not updated.",
      hint: "Something else changed the proxy in the same block or since. Inspect with `npx hardhat release status --network {network}` before doing anything else.",
    },
    REVIEW_DANGER: {
      code: "RS3026",
      template: "{command} refuses {proposal}: the review finds {count} danger(s):\n{findings}",
      hint: "Nothing was signed or sent. Read `npx hardhat release review {proposal} --network {network}` and remove the cause: no option overrides a danger.",
    },
    NEEDS_ACKNOWLEDGEMENT: {
      code: "RS3027",
      template: "{proposal} has {count} warning(s) to acknowledge before {command}:\n{findings}",
      hint: "Read them in `npx hardhat release review {proposal} --network {network}`. If you accept them, run the command again with --acknowledge {codes}: your acknowledgement is recorded in the proposal file.",
    },
    WRONG_PAUSE_STATE: {
      code: "RS3023",
      template: "{proxy} is {state}: {action} would fail.",
      hint: "Check `npx hardhat release status --network {network}`.",
    },
  },
  VERIFY: {
    API_KEY_MISSING: {
      code: "RS4001",
      template: "The {explorer} API key is not set: {variable} has no value.",
      hint: 'Store it with `npx hardhat keystore set {variable}` (or set the environment variable {variable}) and reference it as `verify.{explorer}.apiKey: configVariable("{variable}")`, or leave {explorer} out with `--explorer`.',
    },
    EXPLORER_NOT_CONFIGURED: {
      code: "RS4002",
      template: "No {explorer} explorer is known for chain {chainId} (network {network}).",
      hint: "Add `chainDescriptors: { {chainId}: { name, blockExplorers: { {explorer}: { url, apiUrl } } } }` to hardhat.config.ts, or choose other explorers with `--explorer`.",
    },
    UNKNOWN_EXPLORER: {
      code: "RS4003",
      template: 'Unknown explorer "{explorer}".',
      hint: "Name explorers from etherscan, blockscout and sourcify, comma-separated.",
    },
    CONTRACT_NOT_COMPILED: {
      code: "RS4004",
      template: "The records name contracts the project no longer compiles: {contracts}.",
      hint: "Verification needs the exact source that was deployed: restore it (e.g. from the git commit that deployed it) and run `npx hardhat build`, or narrow the run with --contract.",
    },
    NOTHING_SELECTED: {
      code: "RS4005",
      template: 'No recorded contract on {network} is named "{contract}".',
      hint: "Use a proxy name, a contract name (e.g. an implementation) or `timelock`, as `npx hardhat release status --network {network}` lists them.",
    },
    EXPLORER_DISABLED: {
      code: "RS4006",
      template: "The {explorer} explorer is disabled in the configuration (verify.{explorer}.enabled is false).",
      hint: "Enable it in hardhat.config.ts, or leave it out of `--explorer`.",
    },
  },
  REHEARSAL: {
    FORK_UNREACHABLE: {
      code: "RS6001",
      template: "The fork source {source} does not answer: {reason}.",
      hint: "Check --fork/--fork-url (and the RPC key in its configVariable); the rehearsal needs an archive-capable RPC endpoint of the live chain.",
    },
    WRONG_CHAIN: {
      code: "RS6002",
      template:
        "The fork source {source} serves chainId {actual}, but the records of {network} are for chainId {expected}.",
      hint: "Point --fork/--fork-url at the live chain of {network}: signatures only verify on their own chain.",
    },
    BLOCK_PAST_HEAD: {
      code: "RS6003",
      template: "Block {block} is past the head of {source} (block {head}).",
      hint: "Omit --block to fork at the latest block, or give a block that exists.",
    },
    NOTHING_TO_REHEARSE: {
      code: "RS6004",
      template: "No proposal to rehearse on {network}: {reason}.",
      hint: "Name proposals (`release rehearse 001-upgrade-Vault`) or pass --pending to rehearse every proposal not executed yet.",
    },
    CHECK_FAILED_TO_LOAD: {
      code: "RS6005",
      template: "The post-upgrade check {file} cannot be loaded: {reason}.",
      hint: 'A check module exports a default async function ({ provider, stack, proposal }) that throws to fail (README, "Rehearsal").',
    },
  },
  RPC: {
    CHAIN_ID_MISMATCH: {
      code: "RS5001",
      template: "The network {network} reports chainId {actual}, but its records were written for chainId {expected}.",
      hint: "Check the RPC URL: it points at another chain. Records are never shared between chains.",
    },
    NO_HEALTHY_ENDPOINT: {
      code: "RS5002",
      template: "No RPC endpoint of {network} gave a usable answer to {method}: {reasons}.",
      hint: "Check the endpoints with `npx hardhat release rpc-health --network {network}`; add `fallbackUrls` to the network or pass --rpc <url,url,...>.",
    },
    CHAIN_ID_DISAGREEMENT: {
      code: "RS5003",
      template:
        "The RPC endpoints of {network} disagree about the chain ({chains}) and the network config names no chainId.",
      hint: "Set `networks.{network}.chainId` in hardhat.config.ts (endpoints of another chain are then never used), or remove the wrong URL.",
    },
    INVALID_URL: {
      code: "RS5004",
      template: "{url} is not an http(s) URL.",
      hint: "Pass --rpc as a comma-separated list of http:// or https:// URLs.",
    },
    LOGS_REFUSED: {
      code: "RS5006",
      template: "The RPC endpoint refuses to return the logs of block {block}, even alone: {reason}.",
      hint: "The stack's history is read with eth_getLogs: use an endpoint without such a limit (add it to `fallbackUrls`, or pass --rpc).",
    },
    NO_ENDPOINTS: {
      code: "RS5005",
      template: "The network {network} runs in-process; it has no RPC endpoints.",
      hint: "Choose an http network with --network, or pass --rpc <url,url,...>.",
    },
  },
  GAS: {
    FEE_ABOVE_CAP: {
      code: "RS5101",
      template:
        "The chain is congested: {step} needs {needed} gwei per gas now, above the cap of {cap} gwei for {network}. Nothing was sent.",
      hint: "Wait, or pass --max-fee <gwei> to raise the cap for this run (emergency pause and instant rollback: --urgent). The cap is `release.networks.{network}.fees.maxFeePerGas`.",
    },
    ESTIMATE_REVERTED: {
      code: "RS5102",
      template: "The transaction would revert (gas estimation failed): {reason}",
      hint: "Check the target, calldata, value and sender; nothing was sent.",
    },
    INVALID_TX: {
      code: "RS5103",
      template: "Invalid transaction input: {message}.",
      hint: "Pass --to <0x address> and --data <0x hex>, optionally --value <wei> and --from <0x address>.",
    },
  },
  INTERNAL: {
    UNEXPECTED: {
      code: "RS9001",
      template: "Unexpected error in `{task}`: {message}",
      hint: "Nothing after the failing step was sent. Run the command again with --show-stack-traces and report it with the output (the toolkit should have explained this case).",
    },
    RPC_FAILED: {
      code: "RS9002",
      template: "The RPC endpoint of {network} failed during `{task}`: {message}",
      hint: "Check the endpoint with `npx hardhat release rpc-health --network {network}`, then run the command again: finished steps are not repeated.",
    },
  },
  SERVICE: {
    NOT_CONFIGURED: {
      code: "RS8001",
      template: 'The network "{network}" has no Safe Transaction Service configured.',
      hint: 'Add `transactionService: { url: "https://<your service>/api" }` (or `apiKey: configVariable("SAFE_API_KEY")` for Safe\'s hosted service) to `release.networks["{network}"]` (docs/configuration.md). Without one, collect signatures with `npx hardhat release sign <proposal> --network {network}`.',
    },
    UNREACHABLE: {
      code: "RS8002",
      template: "The Safe Transaction Service at {url} failed to answer {request}: {reason}.",
      hint: "Nothing was pushed or merged past the failing request, and the proposal files are intact. Run the command again later (what already reached the queue is not sent twice), or collect signatures with `npx hardhat release sign <proposal> --network {network}`.",
    },
    REFUSED: {
      code: "RS8003",
      template: "The Safe Transaction Service at {url} refused {request} ({status}): {message}.",
      hint: "{advice}",
    },
    LYING: {
      code: "RS8004",
      template: "The Safe Transaction Service at {url} answered {request} with data that does not hold: {reason}.",
      hint: "Nothing was merged and the proposal files are intact. Do not approve this transaction in Safe{Wallet}: compare its hashes with `npx hardhat release review <proposal> --network {network}`, and tell whoever runs the service.",
    },
    NOT_QUEUED: {
      code: "RS8005",
      template: "The {phase} phase of {proposal} (safeTxHash {safeTxHash}) is not in the Transaction Service queue.",
      hint: "Push it with `npx hardhat release push {proposal} --network {network}`.",
    },
    NO_PROPOSER_SIGNATURE: {
      code: "RS8006",
      template:
        "The {phase} phase of {proposal} has no owner's signature yet; the Transaction Service accepts a transaction only with its proposer's.",
      hint: "Sign it first with `npx hardhat release sign {proposal} --signer <owner address> --network {network}`, then push it.",
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

  /**
   * How Hardhat's CLI prints the error after its message. Hardhat shows every error's stack on CI
   * (the CI variable set) even without --show-stack-traces; a coded error's message and hint are
   * the whole story for users, so the stack and its cause appear only when asked for.
   */
  [inspect.custom](_depth: number, options: object): string {
    if (process.argv.includes("--show-stack-traces")) return inspect(this, { ...options, customInspect: false });
    return `${this.code} is listed in docs/errors.md; --show-stack-traces shows where it was raised.`;
  }

  /** True when `error` is a ReleaseError, of the given kind if one is named. */
  static is(error: unknown, descriptor?: ErrorDescriptor): error is ReleaseError {
    return error instanceof ReleaseError && (descriptor === undefined || error.code === descriptor.code);
  }
}
