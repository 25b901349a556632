import type { StackEvent } from "../history/stack-events.js";
import { roleName } from "../governance/roles.js";
import type { ProposalRecord } from "../proposals/proposal-record.js";
import type { StackRecord } from "../records/stack-record.js";
import type { Address, Hex } from "../types.js";
import type { WatchConfig } from "../config/release-config.js";
import { raiseAlert, type Alert, type AlertKind } from "./alert.js";

/** What an event means to the watcher: its kind family and how to say it. */
interface Meaning {
  kind: "upgrade" | "rollback" | "pause" | "unpause" | "role" | "delay" | "safe" | "execution";
  title: string;
  /** Changes of this family are always critical unless explained (a module executing, say). */
  alwaysCritical?: boolean;
}

export interface ClassifyContext {
  network: string;
  chainId: number;
  stack: StackRecord;
  proposals: ProposalRecord[];
  config: WatchConfig;
  /** Who sent each transaction the events came in (the deployer's are the deploy's). */
  senders: Map<Hex, Address | null>;
  command: (...words: string[]) => string;
  now: () => Date;
}

/**
 * Turns the stack's events in newly confirmed blocks into alerts. An event is explained when the
 * transaction it came in executed a proposal phase (the records follow the chain, so a proposal
 * executed in the Safe app counts) or was sent by the recorded deployer (the deploy itself); a
 * scheduled operation is explained when a proposal file's timelock id is its id. Explained
 * changes are information; the same change without an explanation is critical, with the command
 * that answers it. Events the watcher has no use for (SafeSetup, CallSalt, Initialized...) are
 * left out.
 */
export function classifyEvents(events: StackEvent[], ctx: ClassifyContext): Alert[] {
  const executedIn = new Set<string>();
  const operations = new Map<string, string>();
  for (const p of ctx.proposals) {
    for (const phase of p.phases) if (phase.executed !== null) executedIn.add(phase.executed.txHash.toLowerCase());
    if (p.timelock !== undefined) operations.set(p.timelock.id.toLowerCase(), p.id);
  }
  const names = contractNames(ctx.stack);
  const alerts: Alert[] = [];
  for (const event of events) {
    const tx = event.transactionHash.toLowerCase() as Hex;
    const byProposal = executedIn.has(tx);
    const byDeploy = ctx.senders.get(tx) === ctx.stack.deployer;
    const where = names.get(event.address) ?? event.address;
    const make = (
      kind: AlertKind,
      title: string,
      details: string[],
      action: string | null,
      subject?: Alert["subject"],
    ): Alert =>
      raiseAlert({ ...ctx, block: event.blockNumber }, kind, {
        id: `${event.transactionHash}:${event.logIndex}@${event.blockHash.slice(0, 18)}`,
        txHash: event.transactionHash,
        title,
        details,
        action,
        subject,
      });
    const opId = event.args.id?.toLowerCase();
    switch (event.name) {
      case "CallScheduled": {
        if (event.args.index !== "0") continue; // one alert per operation
        const proposal = operations.get(opId ?? "");
        const call = `${names.get(event.args.target as Address) ?? event.args.target} ${event.args.data?.slice(0, 10)}…`;
        alerts.push(
          proposal === undefined && !byDeploy
            ? make(
                "operation-unexplained",
                `Timelock operation ${event.args.id} scheduled outside any proposal (delay ${event.args.delay}s)`,
                [`first call: ${call}`],
                ctx.command("release propose cancel", event.args.id!),
                { operation: event.args.id as Hex },
              )
            : make(
                "operation-scheduled",
                `Timelock operation ${event.args.id} scheduled (${proposal ?? "deploy"})`,
                [call],
                null,
              ),
        );
        continue;
      }
      case "CallExecuted":
        if (event.args.index !== "0") continue;
        alerts.push(make("operation-executed", `Timelock operation ${event.args.id} executed`, [], null));
        continue;
      case "Cancelled":
        alerts.push(make("operation-cancelled", `Timelock operation ${event.args.id} cancelled`, [], null));
        continue;
      case "ExecutionFailure":
        alerts.push(
          make("execution-failure", `${where}: a Safe transaction failed (safeTxHash ${event.args.txHash})`, [], null),
        );
        continue;
    }
    const meaning = meaningOf(event, names);
    if (meaning === undefined) continue;
    const explained = (byProposal || byDeploy) && meaning.alwaysCritical !== true;
    const kind = (explained ? meaning.kind : `${meaning.kind}-unexplained`) as AlertKind;
    const proxy = ctx.stack.proxies[where] === undefined ? undefined : where;
    const answer =
      explained || meaning.kind === "execution"
        ? null
        : proxy !== undefined
          ? ctx.command("release propose pause", "--proxy", proxy)
          : ctx.command("release status");
    alerts.push(
      make(
        kind,
        `${meaning.title}${explained ? (byProposal ? " (a proposal)" : " (the deploy)") : ": no proposal explains it"}`,
        [],
        answer,
        explained || proxy === undefined || meaning.kind === "pause" ? undefined : { proxy },
      ),
    );
  }
  return alerts;
}

function meaningOf(event: StackEvent, names: Map<string, string>): Meaning | undefined {
  const where = names.get(event.address) ?? event.address;
  const who = (address: string | undefined) => names.get(address ?? "") ?? address ?? "?";
  const a = event.args;
  switch (event.name) {
    case "Upgraded":
      return { kind: "upgrade", title: `${where} upgraded to ${a.implementation}` };
    case "RolledBack":
      return { kind: "rollback", title: `${where} rolled back from ${a.from} to ${a.to} by ${who(a.guardian)}` };
    case "Paused":
      return { kind: "pause", title: `${where} paused by ${who(a.account)}` };
    case "Unpaused":
      return { kind: "unpause", title: `${where} unpaused by ${who(a.account)}` };
    case "RoleGranted":
      return { kind: "role", title: `${where}: ${roleName(a.role as Hex)} granted to ${who(a.account)}` };
    case "RoleRevoked":
      return { kind: "role", title: `${where}: ${roleName(a.role as Hex)} revoked from ${who(a.account)}` };
    case "RoleAdminChanged":
      return { kind: "role", title: `${where}: admin of ${roleName(a.role as Hex)} changed` };
    case "MinDelayChange":
      return { kind: "delay", title: `${where}: delay ${a.oldDuration}s -> ${a.newDuration}s` };
    case "RollbackWindowChanged":
      return { kind: "delay", title: `${where}: rollback window ${a.previous}s -> ${a.current}s` };
    case "AddedOwner":
      return { kind: "safe", title: `${where}: owner ${a.owner} added` };
    case "RemovedOwner":
      return { kind: "safe", title: `${where}: owner ${a.owner} removed` };
    case "ChangedThreshold":
      return { kind: "safe", title: `${where}: threshold changed to ${a.threshold}` };
    case "EnabledModule":
      return { kind: "safe", title: `${where}: module ${a.module} enabled`, alwaysCritical: true };
    case "DisabledModule":
      return { kind: "safe", title: `${where}: module ${a.module} disabled` };
    case "ChangedGuard":
      return { kind: "safe", title: `${where}: guard set to ${a.guard}`, alwaysCritical: true };
    case "ChangedFallbackHandler":
      return { kind: "safe", title: `${where}: fallback handler set to ${a.handler}` };
    case "ExecutionFromModuleSuccess":
    case "ExecutionFromModuleFailure":
      return { kind: "safe", title: `${where}: module ${a.module} executed a transaction`, alwaysCritical: true };
    case "ExecutionSuccess":
      return { kind: "execution", title: `${where} executed safeTxHash ${a.txHash}` };
    default:
      return undefined;
  }
}

/** The stack's contracts by address, as people call them. */
export function contractNames(stack: StackRecord): Map<string, string> {
  const names = new Map<string, string>([
    [stack.safes.owners.address, "owners Safe"],
    [stack.safes.guardian.address, "guardian Safe"],
    [stack.timelock.address, "timelock"],
  ]);
  for (const [name, proxy] of Object.entries(stack.proxies)) names.set(proxy.address, name);
  return names;
}
