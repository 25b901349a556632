import path from "node:path";

import { getAddress } from "ethers";
import { z } from "zod";

import { ERRORS, ReleaseError, type ErrorDescriptor } from "../errors.js";
import { ALERT_KIND_NAMES, type AlertKind } from "../watch/alert.js";

/** The contracts refuse longer windows (GovernedUUPS.MAX_ROLLBACK_WINDOW). */
export const MAX_ROLLBACK_WINDOW = 30 * 24 * 60 * 60;
/**
 * The shortest timelock delay a network accepts unless its config says otherwise. One hour is the
 * least that gives signers and monitoring a chance to see a queued upgrade and cancel it.
 */
export const DEFAULT_MIN_TIMELOCK_DELAY = 60 * 60;

const ZERO_ADDRESS = "0x0000000000000000000000000000000000000000";

const address = z
  .string({ invalid_type_error: "expected an address string" })
  .regex(/^0x[0-9a-fA-F]{40}$/, "expected a 0x-prefixed 20-byte hex address")
  .refine(
    (value) => {
      if (!/^0x[0-9a-fA-F]{40}$/.test(value)) return true; // reported above
      try {
        getAddress(value);
        return true;
      } catch {
        return false;
      }
    },
    {
      message:
        "its mixed-case checksum (EIP-55) is wrong: a typo or a swapped address; write it in lower case or fix it",
    },
  );

const seconds = z.number().int().nonnegative();

/** A Safe the tool deploys (owners + threshold) or adopts (address, optionally with the expected owners and threshold). */
const safeSchema = z
  .object({
    address: address.optional(),
    owners: z.array(address).min(1).optional(),
    threshold: z.number().int().positive().optional(),
  })
  .strict()
  .refine((safe) => safe.address !== undefined || (safe.owners !== undefined && safe.threshold !== undefined), {
    message: "give either `address` (an existing Safe) or `owners` and `threshold` (a new one)",
  });

const initializerArg: z.ZodType<InitializerArg> = z.lazy(() =>
  z.union([z.string(), z.number(), z.boolean(), z.array(initializerArg)]),
);
export type InitializerArg = string | number | boolean | InitializerArg[];

const proxySchema = z
  .object({
    contract: z.string().min(1),
    initializer: z.string().min(1).default("initialize"),
    args: z.array(initializerArg).default([]),
  })
  .strict();

/** "150 gwei", "0.5 gwei", "1000000000" (wei) or a bigint (wei). */
const weiAmount = z
  .union([
    z.bigint().nonnegative(),
    z.string().regex(/^\s*\d+(\.\d+)?\s*(wei|gwei)?\s*$/i, 'expected wei as digits, or an amount like "150 gwei"'),
  ])
  .transform((value, ctx) => {
    if (typeof value === "bigint") return value;
    try {
      return parseWeiAmount(value);
    } catch (error) {
      ctx.addIssue({ code: z.ZodIssueCode.custom, message: (error as ReleaseError).values.message as string });
      return z.NEVER;
    }
  });

/** Fee policy per network (README, "Gas and fees"). All optional; defaults in src/core/gas. */
const feePolicySchema = z
  .object({
    /** Non-urgent transactions are refused when the fee per gas needed now is above this. */
    maxFeePerGas: weiAmount.optional(),
    /** Percent added to eth_estimateGas's answer. */
    gasLimitBuffer: z.number().int().min(0).max(300).optional(),
    /** Percentile of recent priority fees used as the tip. */
    tipPercentile: z.number().min(0).max(100).optional(),
    /** Blocks of eth_feeHistory the tip is taken from. */
    feeHistoryBlocks: z.number().int().min(1).max(1024).optional(),
  })
  .strict();

const milliseconds = z.number().int().positive();

/** Failover tuning for networks with `fallbackUrls` (README, "RPC failover"). */
const rpcSettingsSchema = z
  .object({
    timeout: milliseconds.optional(),
    probeTimeout: milliseconds.optional(),
    cooldown: milliseconds.optional(),
    maxLagBlocks: z.number().int().nonnegative().optional(),
    maxRetryWait: z.number().int().nonnegative().optional(),
    /** Reads issued together go as one JSON-RPC batch of at most this many; 1 turns batching off. */
    batchSize: z.number().int().min(1).max(1000).optional(),
  })
  .strict();

/** A secret as the user config holds it: a plain string, or Hardhat's `configVariable("NAME")`. */
const secret = z.union([
  z.string().min(1),
  z.custom<{ _type: "ConfigurationVariable"; name: string }>(
    (value) =>
      typeof value === "object" &&
      value !== null &&
      (value as { _type?: unknown })._type === "ConfigurationVariable" &&
      typeof (value as { name?: unknown }).name === "string",
    { message: 'expected a string or configVariable("NAME")' },
  ),
]);

/**
 * The Safe Transaction Service the network's Safes are queued in (docs/configuration.md): a
 * self-hosted one by `url` (api-kit's base URL, ending in /api), or Safe's hosted one, chosen by
 * chainId, with an `apiKey`. Off when absent.
 */
const transactionServiceSchema = z
  .object({
    url: z
      .string()
      .url()
      .refine((url) => /^https?:\/\/[^/]+\/(.+\/)?api\/?$/.test(url), {
        message: "a Transaction Service URL is http(s) and ends in /api (api-kit appends /v1/..., /v2/...)",
      })
      .optional(),
    apiKey: secret.optional(),
    /** Milliseconds one request may take before it counts as failed. */
    timeout: milliseconds.optional(),
  })
  .strict()
  .refine((service) => service.url !== undefined || service.apiKey !== undefined, {
    message: "give `url` (a self-hosted service) or `apiKey` (Safe's hosted service for this chain)",
  })
  .refine((service) => !/api\.safe\.global|api\.5afe\.dev/.test(service.url ?? "") || service.apiKey !== undefined, {
    message: "Safe's hosted service needs an `apiKey` (store it with `npx hardhat keystore set SAFE_API_KEY`)",
  });

/** `release watch` (docs/monitoring.md): how far behind the head it reads, and when it alerts. */
const watchSchema = z
  .object({
    /** Blocks a block must have on top before its events are reported (reorgs up to this depth are silent). */
    confirmations: z.number().int().min(0).max(128).default(2),
    /** Milliseconds between polls for a new block. */
    pollInterval: milliseconds.default(4000),
    /** Seconds without a new block before the chain (or the endpoint) counts as stalled. */
    headAge: seconds.default(600),
    /** Blocks one endpoint may trail the best one. */
    endpointLag: z.number().int().nonnegative().default(5),
    /** Milliseconds between endpoint checks (lag, disagreement, errors). */
    endpointInterval: milliseconds.default(60_000),
    /** Share of failed endpoint checks (over the last 20) that raises an alert. */
    errorRate: z.number().min(0).max(1).default(0.2),
    /** Share of failed transactions to the governed contracts (over `failureWindow` of them) that raises an alert. */
    failureRate: z.number().min(0).max(1).default(0.01),
    failureWindow: z.number().int().positive().default(100),
    /** Blocks between full re-checks of the stack when no event arrived. */
    recheckBlocks: z.number().int().positive().default(100),
    /** Severity per alert kind, over the defaults (docs/monitoring.md lists them). */
    severity: z
      .record(z.enum(ALERT_KIND_NAMES as [AlertKind, ...AlertKind[]]), z.enum(["info", "warning", "critical"]))
      .default({}),
  })
  .strict();

const networkSchema = z
  .object({
    owners: safeSchema,
    guardian: safeSchema,
    timelock: z.object({ minDelay: seconds }).strict(),
    rollbackWindow: seconds,
    policy: z
      .object({ minTimelockDelay: seconds.default(DEFAULT_MIN_TIMELOCK_DELAY) })
      .strict()
      .default({}),
    proxies: z.record(z.string().regex(/^[A-Za-z][A-Za-z0-9_-]*$/, "a proxy name is a plain identifier"), proxySchema),
    fees: feePolicySchema.optional(),
    /** Blocks a transaction this toolkit sends must have (its own included) before it counts as done. */
    confirmations: z.number().int().min(1).max(64).default(1),
    rpc: rpcSettingsSchema.optional(),
    transactionService: transactionServiceSchema.optional(),
    watch: watchSchema.default({}),
  })
  .strict();

export const releaseUserConfigSchema = z
  .object({
    recordsDir: z.string().min(1).optional(),
    /** Folder of the project's post-upgrade checks, run by `release rehearse` (default rehearsal/checks). */
    checksDir: z.string().min(1).optional(),
    networks: z.record(networkSchema),
  })
  .strict();

export type SafeConfig = z.output<typeof safeSchema>;
export type FeePolicyConfig = z.output<typeof feePolicySchema>;
export type RpcSettingsConfig = z.output<typeof rpcSettingsSchema>;
export type ProxyConfig = z.output<typeof proxySchema>;
export type WatchConfig = z.output<typeof watchSchema>;

export type ConfiguredSecret = z.output<typeof secret>;

/** A secret read only when used (Hardhat resolves `configVariable`s to this). */
export interface SecretValue {
  get(): Promise<string>;
}

export interface TransactionServiceConfig {
  url?: string;
  apiKey?: SecretValue;
  timeout?: number;
}

export type ReleaseNetworkConfig = Omit<z.output<typeof networkSchema>, "transactionService"> & {
  transactionService?: TransactionServiceConfig;
};
export type ReleaseUserConfig = z.input<typeof releaseUserConfigSchema>;

export interface ConfigIssue {
  path: Array<string | number>;
  code: ErrorDescriptor["code"];
  message: string;
}

/**
 * Validates the `release` section of hardhat.config.ts: shapes first (zod), then the rules a
 * shape cannot express (thresholds, duplicates, policy). Every issue carries its own code.
 */
export function validateReleaseConfig(raw: unknown): ConfigIssue[] {
  const parsed = releaseUserConfigSchema.safeParse(raw);
  if (!parsed.success) {
    return parsed.error.issues.map((issue) => ({
      path: issue.path,
      code: ERRORS.CONFIG.INVALID.code,
      message: issue.message,
    }));
  }
  const issues: ConfigIssue[] = [];
  const add = (path: Array<string | number>, descriptor: ErrorDescriptor, message: string) =>
    issues.push({ path, code: descriptor.code, message });

  for (const [network, net] of Object.entries(parsed.data.networks)) {
    const at = ["networks", network];
    for (const role of ["owners", "guardian"] as const) {
      const safe = net[role];
      const owners = safe.owners ?? [];
      const seen = new Set<string>();
      owners.forEach((owner, i) => {
        const key = owner.toLowerCase();
        if (key === ZERO_ADDRESS) {
          add([...at, role, "owners", i], ERRORS.CONFIG.ZERO_ADDRESS, `the zero address cannot be a Safe owner`);
        } else if (seen.has(key)) {
          add([...at, role, "owners", i], ERRORS.CONFIG.DUPLICATE_OWNER, `the owner ${owner} is listed more than once`);
        }
        seen.add(key);
      });
      if (safe.threshold !== undefined && safe.owners !== undefined && safe.threshold > owners.length) {
        add(
          [...at, role, "threshold"],
          ERRORS.CONFIG.THRESHOLD_ABOVE_OWNERS,
          `the threshold ${safe.threshold} is higher than the number of owners (${owners.length})`,
        );
      }
      if (safe.address?.toLowerCase() === ZERO_ADDRESS) {
        add([...at, role, "address"], ERRORS.CONFIG.ZERO_ADDRESS, "the zero address cannot be a Safe");
      }
    }
    if (net.timelock.minDelay < net.policy.minTimelockDelay) {
      add(
        [...at, "timelock", "minDelay"],
        ERRORS.CONFIG.DELAY_BELOW_POLICY,
        `the timelock delay ${net.timelock.minDelay}s is below this network's policy minimum of ${net.policy.minTimelockDelay}s`,
      );
    }
    if (net.rollbackWindow > MAX_ROLLBACK_WINDOW) {
      add(
        [...at, "rollbackWindow"],
        ERRORS.CONFIG.WINDOW_TOO_LONG,
        `the rollback window ${net.rollbackWindow}s exceeds the maximum of ${MAX_ROLLBACK_WINDOW}s`,
      );
    }
  }
  return issues;
}

/** "150 gwei" / "0.5 gwei" / "1000" (wei) to wei. */
export function parseWeiAmount(text: string): bigint {
  const match = /^\s*(\d+)(?:\.(\d+))?\s*(wei|gwei)?\s*$/i.exec(text);
  if (match === null)
    throw new ReleaseError(ERRORS.CONFIG.INVALID, { message: `"${text}" is not an amount of wei or gwei` });
  const [, whole, fraction = "", unit = "wei"] = match;
  if (unit.toLowerCase() === "wei") {
    if (fraction !== "") throw new ReleaseError(ERRORS.CONFIG.INVALID, { message: `"${text}": wei has no fractions` });
    return BigInt(whole!);
  }
  if (fraction.length > 9)
    throw new ReleaseError(ERRORS.CONFIG.INVALID, { message: `"${text}": at most 9 decimals of gwei` });
  return BigInt(whole!) * 10n ** 9n + BigInt(fraction.padEnd(9, "0"));
}

/**
 * Resolves a validated user config (call {@link validateReleaseConfig} first). `resolveSecret`
 * turns a configured secret (a string or a `configVariable`) into a value read only when used.
 */
export function resolveReleaseConfig(
  raw: ReleaseUserConfig | undefined,
  root: string,
  resolveSecret: (value: ConfiguredSecret) => SecretValue = plainSecret,
): ReleaseConfig {
  const parsed = releaseUserConfigSchema.parse(raw ?? { networks: {} });
  const networks: Record<string, ReleaseNetworkConfig> = {};
  for (const [name, { transactionService, ...network }] of Object.entries(parsed.networks)) {
    networks[name] =
      transactionService === undefined
        ? network
        : {
            ...network,
            transactionService: {
              ...transactionService,
              url: transactionService.url?.replace(/\/$/, ""),
              apiKey: transactionService.apiKey === undefined ? undefined : resolveSecret(transactionService.apiKey),
            },
          };
  }
  return {
    recordsDir: path.resolve(root, parsed.recordsDir ?? "deployments"),
    checksDir: path.resolve(root, parsed.checksDir ?? path.join("rehearsal", "checks")),
    networks,
  };
}

function plainSecret(value: ConfiguredSecret): SecretValue {
  if (typeof value !== "string") {
    throw new ReleaseError(ERRORS.CONFIG.INVALID, { message: `the secret ${value.name} needs Hardhat to resolve it` });
  }
  return { get: async () => value };
}

export interface ReleaseConfig {
  /** Absolute path of the folder holding `<network>/stack.json` and friends. */
  recordsDir: string;
  /** Absolute path of the folder of post-upgrade check modules. */
  checksDir: string;
  networks: Record<string, ReleaseNetworkConfig>;
}
