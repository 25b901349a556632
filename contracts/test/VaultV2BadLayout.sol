// SPDX-License-Identifier: MIT
pragma solidity 0.8.37;

import {GovernedUUPS} from "../governance/GovernedUUPS.sol";

/// @title VaultV2BadLayout
/// @author release-safety
/// @notice TEST ONLY. A "V2" of VaultV1 whose storage is incompatible: `VaultStorage` in the SAME namespace
///         `release-safety.storage.Vault` gets a new field INSERTED before `balances`.
/// @dev Exists so tests can prove the upgrade safety check refuses it. Behind a live proxy every field
///      would shift by one slot: the mapping seed moves (all balances read as 0), `totalDeposits` would
///      read the old mapping slot and `depositCap` the old total. Never deploy it.
contract VaultV2BadLayout is GovernedUUPS {
    /// @custom:storage-location erc7201:release-safety.storage.Vault
    struct VaultStorage {
        uint256 withdrawalFee; // <- inserted: shifts every following field
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

    /// @notice ETH was withdrawn.
    /// @param account The withdrawing account.
    /// @param amount The amount in wei.
    event Withdrawn(address indexed account, uint256 amount);

    /// @notice The deposit cap changed.
    /// @param previous The previous cap in wei (0 = no cap).
    /// @param current The new cap in wei (0 = no cap).
    event DepositCapChanged(uint256 previous, uint256 current);

    /// @notice The amount must be non-zero.
    error ZeroAmount();

    /// @notice The deposit would push total deposits above the cap.
    /// @param cap The configured cap in wei.
    /// @param total The total deposits the vault would hold after the deposit.
    error DepositCapExceeded(uint256 cap, uint256 total);

    /// @notice The account's balance is smaller than the requested amount.
    /// @param balance The account's balance in wei.
    /// @param requested The requested amount in wei.
    error InsufficientBalance(uint256 balance, uint256 requested);

    /// @notice Sending ETH to the withdrawing account failed.
    error TransferFailed();

    /// @notice Locks the implementation contract itself.
    /// @custom:oz-upgrades-unsafe-allow constructor
    constructor() {
        _disableInitializers();
    }

    /// @notice Initializes the proxy's state (same convention as VaultV1).
    /// @param timelock The TimelockController (admin, upgrader).
    /// @param guardian The guardian Safe (pauser, rollback guardian).
    /// @param rollbackWindow_ The rollback window in seconds.
    /// @param depositCap_ The initial deposit cap in wei (0 = no cap).
    function initialize(
        address timelock,
        address guardian,
        uint64 rollbackWindow_,
        uint256 depositCap_
    ) external initializer {
        __GovernedUUPS_init(timelock, guardian, rollbackWindow_);
        _setDepositCap(depositCap_);
    }

    /// @notice Deposits the sent ETH to the caller's balance.
    function deposit() external payable whenNotPaused {
        if (msg.value == 0) revert ZeroAmount();
        VaultStorage storage $ = _getVaultStorage();
        uint256 newTotal = $.totalDeposits + msg.value;
        uint256 cap = $.depositCap;
        if (cap != 0 && newTotal > cap) revert DepositCapExceeded(cap, newTotal);
        $.totalDeposits = newTotal;
        $.balances[_msgSender()] += msg.value;
        emit Deposited(_msgSender(), msg.value);
    }

    /// @notice Withdraws `amount` wei of the caller's balance to the caller.
    /// @param amount The amount in wei.
    function withdraw(uint256 amount) external whenNotPaused {
        if (amount == 0) revert ZeroAmount();
        address account = _msgSender();
        VaultStorage storage $ = _getVaultStorage();
        uint256 balance = $.balances[account];
        if (balance < amount) revert InsufficientBalance(balance, amount);
        $.balances[account] = balance - amount;
        $.totalDeposits -= amount;
        emit Withdrawn(account, amount);
        // solhint-disable-next-line avoid-low-level-calls
        (bool ok, ) = payable(account).call{value: amount}("");
        if (!ok) revert TransferFailed();
    }

    /// @notice Sets the deposit cap (0 = no cap).
    /// @param depositCap_ The new cap in wei.
    function setDepositCap(uint256 depositCap_) external onlyRole(DEFAULT_ADMIN_ROLE) {
        _setDepositCap(depositCap_);
    }

    /// @notice Returns the balance of `account`.
    /// @param account The account to query.
    /// @return balance The balance in wei.
    function balanceOf(address account) external view returns (uint256 balance) {
        return _getVaultStorage().balances[account];
    }

    /// @notice Returns the sum of all balances.
    /// @return total The total in wei.
    function totalDeposits() external view returns (uint256 total) {
        return _getVaultStorage().totalDeposits;
    }

    /// @notice Returns the deposit cap.
    /// @return cap The cap in wei (0 = no cap).
    function depositCap() external view returns (uint256 cap) {
        return _getVaultStorage().depositCap;
    }

    /// @notice Returns the implementation version.
    /// @return semver The version string.
    function version() external pure returns (string memory semver) {
        return "2.0.0-bad-layout";
    }

    /// @notice Shared by the initializer and {setDepositCap}.
    /// @param depositCap_ The new cap in wei.
    function _setDepositCap(uint256 depositCap_) private {
        VaultStorage storage $ = _getVaultStorage();
        uint256 previous = $.depositCap;
        $.depositCap = depositCap_;
        emit DepositCapChanged(previous, depositCap_);
    }

    /// @notice ERC-7201 storage pointer (same slot as VaultV1, different struct: that is the bug).
    /// @return store The namespaced storage struct.
    function _getVaultStorage() private pure returns (VaultStorage storage store) {
        // solhint-disable-next-line no-inline-assembly
        assembly {
            store.slot := VAULT_STORAGE_LOCATION
        }
    }
}
