// SPDX-License-Identifier: MIT
pragma solidity 0.8.37;

import {VaultV1} from "./VaultV1.sol";

/// @title VaultV2
/// @author release-safety
/// @notice Storage-compatible upgrade of {VaultV1} that adds internal transfers between balances.
/// @dev Leaves `release-safety.storage.Vault` untouched and keeps its new state in a separate namespace,
///      so VaultV1 code still reads every balance correctly after a guardian rollback (the V2 namespace
///      is simply ignored by V1 and picked up again by a later re-upgrade).
contract VaultV2 is VaultV1 {
    /// @custom:storage-location erc7201:release-safety.storage.VaultV2
    struct VaultV2Storage {
        uint256 transferCount;
    }

    // keccak256(abi.encode(uint256(keccak256("release-safety.storage.VaultV2")) - 1)) & ~bytes32(uint256(0xff))
    bytes32 private constant VAULT_V2_STORAGE_LOCATION =
        0xf2d76075c70c7a176622c6f50085d57e64d80e8e1ee1dd1bcfb6c0b43537d800;

    /// @notice Balance moved between two accounts inside the vault.
    /// @param from The sender.
    /// @param to The recipient.
    /// @param amount The amount in wei.
    event Transferred(address indexed from, address indexed to, uint256 amount);

    /// @notice Locks the implementation contract itself.
    /// @dev Redundant with VaultV1's constructor but kept explicit: every implementation must lock itself.
    /// @custom:oz-upgrades-unsafe-allow constructor
    constructor() {
        _disableInitializers();
    }

    // solhint-disable no-empty-blocks
    /// @notice Marks the proxy as initialized for version 2.
    /// @dev Intentionally a no-op apart from the version bump (V2 needs no migration), which is why it can
    ///      stay permissionless: calling it cannot change any balance or role. After a rollback to V1 and a
    ///      re-upgrade, the proxy is already at version 2, so the re-upgrade must NOT call it again
    ///      (it would revert with InvalidInitialization). Deliberately not validated as an initializer by
    ///      the upgrades plugin: a reinitializer must not re-run the parents' one-time initializers.
    function initializeV2() external reinitializer(2) {}
    // solhint-enable no-empty-blocks

    /// @notice Moves `amount` wei of the caller's vault balance to `to` (no ETH leaves the vault).
    /// @param to The recipient (non-zero).
    /// @param amount The amount in wei (non-zero).
    function transfer(address to, uint256 amount) external whenNotPaused {
        if (to == address(0)) revert ZeroAddress();
        if (amount == 0) revert ZeroAmount();
        address from = _msgSender();
        VaultStorage storage $ = _getVaultStorage();
        uint256 balance = $.balances[from];
        if (balance < amount) revert InsufficientBalance(balance, amount);
        $.balances[from] = balance - amount;
        $.balances[to] += amount;
        ++_getVaultV2Storage().transferCount;
        emit Transferred(from, to, amount);
    }

    /// @notice Returns the number of successful transfers.
    /// @return count The number of transfers.
    function transferCount() external view returns (uint256 count) {
        return _getVaultV2Storage().transferCount;
    }

    /// @notice Returns the implementation version.
    /// @return semver The version string.
    function version() external pure virtual override returns (string memory semver) {
        return "2.0.0";
    }

    /// @notice ERC-7201 storage pointer for the V2 namespace.
    /// @return store The namespaced storage struct.
    function _getVaultV2Storage() private pure returns (VaultV2Storage storage store) {
        // solhint-disable-next-line no-inline-assembly
        assembly {
            store.slot := VAULT_V2_STORAGE_LOCATION
        }
    }
}
