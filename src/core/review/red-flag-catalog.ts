/**
 * Every red flag the review can raise, for people: what it catches, at which level, and an example.
 * docs/red-flags.md is generated from this table (`npm run docs`), and a test fails when a code the
 * review raises is missing here.
 */
export interface RedFlagEntry {
  code: `RF-${string}`;
  /** The levels it is raised at, most severe first. */
  levels: Array<"danger" | "warning" | "info">;
  catches: string;
  example: string;
}

export const RED_FLAG_CATALOG: RedFlagEntry[] = [
  {
    code: "RF-001",
    levels: ["danger"],
    catches:
      "A DELEGATECALL to anything but MultiSendCallOnly, or an unknown operation type: it runs foreign code as the Safe.",
    example: "operation 1 (delegatecall) to a contract that is not MultiSendCallOnly",
  },
  {
    code: "RF-002",
    levels: ["danger"],
    catches: "A refund paid from the Safe: gasPrice, gasToken or refundReceiver set.",
    example: "gasPrice 1 with refundReceiver 0xdead…",
  },
  {
    code: "RF-003",
    levels: ["warning"],
    catches: "A call to one of the stack's Safes that is not a change of power (those are RF-018).",
    example: "owners Safe.approveHash(…) inside a batch",
  },
  {
    code: "RF-004",
    levels: ["danger"],
    catches: "ETH sent by any call: release proposals never move funds.",
    example: "Vault.pause() with value 1 ether",
  },
  {
    code: "RF-005",
    levels: ["danger"],
    catches: "A call to an address outside the stack, or data the target's ABI does not know.",
    example: "a call to 0x…dEaD, or selector 0x12345678 on the proxy",
  },
  {
    code: "RF-006",
    levels: ["danger", "info"],
    catches:
      "A Safe nonce already used (can never execute) or ahead with a gap no pending proposal fills (danger); queued behind pending proposals (info).",
    example: "nonce 3 while the Safe is at 5",
  },
  {
    code: "RF-007",
    levels: ["warning"],
    catches: "Another pending proposal of the same Safe uses the same nonce: only one can ever execute.",
    example: "002-pause and 003-upgrade both at nonce 4",
  },
  {
    code: "RF-008",
    levels: ["danger"],
    catches: "The proposal was made for another network or chainId.",
    example: "made for mainnet (chainId 1), reviewed on sepolia",
  },
  {
    code: "RF-009",
    levels: ["danger", "warning"],
    catches: "The file's stored hashes are not the hashes of its own fields (danger), or it stores none (warning).",
    example: "stored safeTxHash 0xab… where the fields hash to 0x12…",
  },
  {
    code: "RF-010",
    levels: ["danger", "warning", "info"],
    catches:
      "A stored signature that does not recover to its signer, or not to an owner (danger); the same owner twice (warning); a nested Safe's signature that Safe no longer accepts, which does not count (info).",
    example: "a signature made over another nonce",
  },
  {
    code: "RF-011",
    levels: ["danger"],
    catches: "The proposal's Safe is not the stack's Safe for its role.",
    example: "an owners proposal naming another Safe",
  },
  {
    code: "RF-012",
    levels: ["danger", "warning"],
    catches:
      "The timelock operation the file names is not the one its calldata makes, or an execute of an operation never scheduled (danger); a schedule already scheduled (warning).",
    example: "timelock.id 0xaa… while the calldata schedules 0xbb…",
  },
  {
    code: "RF-013",
    levels: ["danger", "warning"],
    catches:
      "The upgrade switches to other code than the file names, or the code at the implementation is not the compiled contract it claims to be (danger); only its metadata differs (warning).",
    example: "implementation 0x41… labelled VaultV2, whose code is something else",
  },
  {
    code: "RF-014",
    levels: ["danger", "info"],
    catches:
      "Executing on the current chain state fails (danger); it fails only because the timelock delay has not passed (info).",
    example: "the inner call reverts with RollbackWindowExpired",
  },
  {
    code: "RF-015",
    levels: ["danger"],
    catches: "The file's readable actions describe calls the calldata does not make.",
    example: "actions say Vault.pause(), the calldata calls unpause()",
  },
  {
    code: "RF-016",
    levels: ["danger"],
    catches:
      "The Safe contract itself hashes the transaction (or its domain) differently: another Safe version or chain.",
    example: "domainSeparator() 0x… differs from the recomputed domain hash",
  },
  {
    code: "RF-017",
    levels: ["danger"],
    catches:
      "The file does not hold together: its Safe transaction is not the one the toolkit builds from its readable fields (kind, proxy, implementation, call, timelock operation).",
    example: "proxy.address edited, or a timelock predecessor added, with hashes recomputed",
  },
  {
    code: "RF-018",
    levels: ["danger", "warning"],
    catches:
      "A change of power anywhere in the call tree: role grant, revoke or renounce, admin or ownership change, timelock delay, Safe owners, threshold, modules, guard or fallback handler, nested scheduling, an upgrade outside an upgrade (danger); the same change when it is the declared purpose of the proposal's kind (warning).",
    example: "upgradeToAndCall(VaultV2, grantRole(DEFAULT_ADMIN_ROLE, 0x…))",
  },
  {
    code: "RF-019",
    levels: ["danger"],
    catches:
      "The call an upgrade runs is not an initializer (initializer/reinitializer) of the new implementation, or the new code's initializers are unknown.",
    example: "upgradeToAndCall(VaultV2, transfer(…))",
  },
  {
    code: "RF-020",
    levels: ["danger"],
    catches:
      "The stack itself is not as intended right now (release status' findings): an extra role holder, a Safe module or guard, a pending timelock operation no proposal explains, drifted code. Stops every proposal except the guardian's pause, instant rollback and cancel, which answer it.",
    example: "timelock operation 0x… pending, scheduled outside the toolkit: Vault.grantRole(…)",
  },
  {
    code: "RF-021",
    levels: ["danger", "warning"],
    catches:
      "A timelock delay change that removes the delay (danger) or lowers it (warning): the guardian gets less time to cancel.",
    example: "release propose delay --delay 10m while the delay is 1h",
  },
  {
    code: "RF-022",
    levels: ["warning"],
    catches: "A signer rotation that lowers a Safe's threshold: fewer keys can act for it.",
    example: "release propose signers --safe owners --threshold 1",
  },
  {
    code: "RF-023",
    levels: ["danger"],
    catches:
      "The new implementation's storage layout is not compatible with the code the proxy runs (OpenZeppelin's check, redone at every review), or the guardian's rollback could not return safely.",
    example: "an upgrade to a VaultV2 that inserts a variable before the existing ones",
  },
  {
    code: "RF-024",
    levels: ["danger"],
    catches:
      "The Safe Transaction Service (Safe{Wallet}'s queue) holds another transaction at this proposal's nonce that no proposal file explains, or its copy of this transaction does not hash to what its fields say. Raised by `release review` when a service is configured.",
    example: "a queued Vault.grantRole(…) at the same nonce, proposed in the Safe app",
  },
];
