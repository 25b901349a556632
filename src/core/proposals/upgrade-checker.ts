/**
 * The result of comparing two implementations with OpenZeppelin's validation (injected by the
 * plugin, which has the compiler output): `compatible` when `to` may replace `from` behind a proxy.
 * Deleted storage is listed apart: going forward it is an error, but going backward (a rollback)
 * it is exactly the storage the newer version added, which keeps its values while the older code
 * ignores it.
 */
export interface StorageCheck {
  compatible: boolean;
  problems: string[];
  deleted: string[];
}

export type UpgradeChecker = (fromContract: string, toContract: string) => Promise<StorageCheck>;
