// SPDX-License-Identifier: MIT
pragma solidity 0.8.37;

import {AccessControlUpgradeable} from "@openzeppelin/contracts-upgradeable/access/AccessControlUpgradeable.sol";
import {Initializable} from "@openzeppelin/contracts-upgradeable/proxy/utils/Initializable.sol";
import {PausableUpgradeable} from "@openzeppelin/contracts-upgradeable/utils/PausableUpgradeable.sol";

/// @title VaultV2NotUUPS
/// @author release-safety
/// @notice TEST ONLY. An upgradeable vault with VaultV1's exact storage that does NOT inherit
///         UUPSUpgradeable (and therefore not GovernedUUPS).
/// @dev Exists so tests can prove the upgrade is refused. A UUPS proxy keeps its upgrade logic in the
///      implementation: switching to this contract would leave the proxy without `upgradeToAndCall`, so it
///      could never be upgraded or rolled back again (bricked), and the guardian's rollback would be gone.
///      On-chain, UUPSUpgradeable already rejects it because it has no `proxiableUUID`.
contract VaultV2NotUUPS is Initializable, AccessControlUpgradeable, PausableUpgradeable {
    /// @custom:storage-location erc7201:release-safety.storage.Vault
    struct VaultStorage {
        mapping(address account => uint256 balance) balances;
        uint256 totalDeposits;
        uint256 depositCap;
    }

    // keccak256(abi.encode(uint256(keccak256("release-safety.storage.Vault")) - 1)) & ~bytes32(uint256(0xff))
    bytes32 private constant VAULT_STORAGE_LOCATION =
        0x922746fd2dfae0809c1c8a3c7de15bf151485f4274e484a867573a77174e7d00;

    /// @notice ETH was deposited.
    /// @param account The depositor.
    /// @param amount The amount in wei.
    event Deposited(address indexed account, uint256 amount);

    /// @notice The amount must be non-zero.
    error ZeroAmount();

    /// @notice Locks the implementation contract itself.
    /// @custom:oz-upgrades-unsafe-allow constructor
    constructor() {
        _disableInitializers();
    }

    /// @notice Deposits the sent ETH to the caller's balance.
    function deposit() external payable whenNotPaused {
        if (msg.value == 0) revert ZeroAmount();
        VaultStorage storage $ = _getVaultStorage();
        $.totalDeposits += msg.value;
        $.balances[_msgSender()] += msg.value;
        emit Deposited(_msgSender(), msg.value);
    }

    /// @notice Returns the balance of `account`.
    /// @param account The account to query.
    /// @return balance The balance in wei.
    function balanceOf(address account) external view returns (uint256 balance) {
        return _getVaultStorage().balances[account];
    }

    /// @notice Returns the implementation version.
    /// @return semver The version string.
    function version() external pure returns (string memory semver) {
        return "2.0.0-not-uups";
    }

    /// @notice ERC-7201 storage pointer (same namespace as VaultV1).
    /// @return store The namespaced storage struct.
    function _getVaultStorage() private pure returns (VaultStorage storage store) {
        // solhint-disable-next-line no-inline-assembly
        assembly {
            store.slot := VAULT_STORAGE_LOCATION
        }
    }
}
