// SPDX-License-Identifier: MIT
pragma solidity 0.8.37;

import {AccessControlUpgradeable} from "@openzeppelin/contracts-upgradeable/access/AccessControlUpgradeable.sol";
import {Initializable} from "@openzeppelin/contracts-upgradeable/proxy/utils/Initializable.sol";
import {UUPSUpgradeable} from "@openzeppelin/contracts-upgradeable/proxy/utils/UUPSUpgradeable.sol";
import {PausableUpgradeable} from "@openzeppelin/contracts-upgradeable/utils/PausableUpgradeable.sol";
import {ERC1967Utils} from "@openzeppelin/contracts/proxy/ERC1967/ERC1967Utils.sol";

/// @title GovernedUUPS
/// @author release-safety
/// @notice Base for UUPS implementations governed by a TimelockController (forward upgrades, unpause,
///         role administration) and a guardian Safe (instant pause, instant rollback to the last known
///         good implementation within a bounded window).
/// @dev Trust model:
///      - The timelock (DEFAULT_ADMIN_ROLE + UPGRADER_ROLE) is the only party that can introduce NEW code.
///        Every forward upgrade is therefore visible on-chain for at least the timelock's delay.
///      - The guardian (PAUSER_ROLE + GUARDIAN_ROLE) can act instantly but can never introduce new code:
///        it can only switch back to the exact implementation that was live before the last forward
///        upgrade, only once, only before the recorded deadline, and never with a setup call.
///        A compromised guardian can therefore at worst pause the system or revert the most recent
///        upgrade; it cannot steal funds or install arbitrary logic.
///      - A forward upgrade must keep storage readable by the previous implementation (append-only
///        namespaces) while a rollback target exists, because the rollback does not migrate storage.
///        If that does not hold (or the previous code is vulnerable), the timelock must clear the
///        target in the same transaction (see {clearRollbackTarget}).
///      State lives in ERC-7201 namespaced storage, so no `__gap` is reserved.
abstract contract GovernedUUPS is Initializable, UUPSUpgradeable, PausableUpgradeable, AccessControlUpgradeable {
    /// @notice Role allowed to perform forward upgrades, unpause, and clear the rollback target (the timelock).
    bytes32 public constant UPGRADER_ROLE = keccak256("UPGRADER_ROLE");
    /// @notice Role allowed to pause instantly (the guardian Safe).
    bytes32 public constant PAUSER_ROLE = keccak256("PAUSER_ROLE");
    /// @notice Role allowed to roll back instantly to the recorded rollback target (the guardian Safe).
    bytes32 public constant GUARDIAN_ROLE = keccak256("GUARDIAN_ROLE");
    /// @notice Upper bound for the rollback window: keeps old (possibly vulnerable) code from staying
    ///         re-activatable by the guardian indefinitely.
    uint64 public constant MAX_ROLLBACK_WINDOW = 30 days;

    /// @custom:storage-location erc7201:release-safety.storage.GovernedUUPS
    struct GovernedUUPSStorage {
        // Implementation that was live before the last forward upgrade (zero = no rollback possible).
        address rollbackTarget;
        // Last timestamp (inclusive) at which the guardian may roll back to `rollbackTarget`.
        uint64 rollbackDeadline;
        // Length of the rollback window recorded at each forward upgrade (0 = rollbacks disabled).
        uint64 rollbackWindow;
    }

    // keccak256(abi.encode(uint256(keccak256("release-safety.storage.GovernedUUPS")) - 1)) & ~bytes32(uint256(0xff))
    bytes32 private constant GOVERNED_UUPS_STORAGE_LOCATION =
        0xb8efef3f6876953e5a9514f7126bc61679299b240d2ab77dc62ec6828319eb00;

    /// @notice A new rollback target was recorded by a forward upgrade.
    /// @param target The outgoing implementation the guardian may roll back to.
    /// @param deadline Last timestamp (inclusive) at which the rollback is allowed.
    event RollbackTargetSet(address indexed target, uint64 deadline);

    /// @notice The rollback target was removed (consumed by a rollback, cleared by the timelock, or
    ///         dropped by a forward upgrade while the window is 0).
    /// @param target The rollback target that is no longer available.
    event RollbackTargetCleared(address indexed target);

    /// @notice The guardian rolled the proxy back to the recorded rollback target.
    /// @param from The implementation that was live before the rollback.
    /// @param to The implementation that is live after the rollback.
    /// @param guardian The account that performed the rollback.
    event RolledBack(address indexed from, address indexed to, address indexed guardian);

    /// @notice The rollback window used for future forward upgrades changed.
    /// @param previous The previous window in seconds.
    /// @param current The new window in seconds.
    event RollbackWindowChanged(uint64 previous, uint64 current);

    /// @notice A required address argument was the zero address.
    error ZeroAddress();

    /// @notice The guardian tried to roll back but no rollback target is recorded.
    error NoRollbackTarget();

    /// @notice The guardian tried to "roll back" to an implementation other than the recorded target.
    /// @param requested The implementation the guardian asked for.
    /// @param target The only implementation the guardian may switch to.
    error RollbackTargetMismatch(address requested, address target);

    /// @notice The guardian tried to roll back after the recorded deadline.
    /// @param deadline The deadline that has passed.
    error RollbackWindowExpired(uint64 deadline);

    /// @notice An account without UPGRADER_ROLE passed a setup call to `upgradeToAndCall`.
    error RollbackCallDataNotAllowed();

    /// @notice The requested rollback window exceeds MAX_ROLLBACK_WINDOW.
    /// @param window The requested window in seconds.
    /// @param max The maximum allowed window in seconds.
    error RollbackWindowTooLong(uint64 window, uint64 max);

    /// @notice Pauses the `whenNotPaused` functions of the contract.
    /// @dev Instant by design (guardian, no timelock delay): pausing can only stop activity, never move
    ///      funds or change code, so speed matters more than deliberation. Unpausing goes through the
    ///      timelock so a compromised guardian cannot flip the switch back and forth at will.
    function pause() external onlyRole(PAUSER_ROLE) {
        _pause();
    }

    /// @notice Unpauses the contract.
    /// @dev Restricted to UPGRADER_ROLE (the timelock): resuming operations after an incident is a
    ///      governance decision, visible for the timelock delay.
    function unpause() external onlyRole(UPGRADER_ROLE) {
        _unpause();
    }

    /// @notice Drops the current rollback target so the guardian can no longer switch back to it.
    /// @dev Never reverts for a missing target so it can be batched unconditionally. Intended use: the
    ///      timelock ships a security fix as
    ///      `upgradeToAndCall(newImpl, abi.encodeCall(GovernedUUPS.clearRollbackTarget, ()))`.
    ///      The setup call runs AFTER `_authorizeUpgrade` recorded the vulnerable outgoing implementation as
    ///      target, so it removes exactly that target atomically and nobody (not even the guardian) can
    ///      re-activate the vulnerable code.
    function clearRollbackTarget() external onlyRole(UPGRADER_ROLE) {
        _clearRollbackTarget();
    }

    /// @notice Sets the rollback window applied to future forward upgrades.
    /// @dev Bounded by MAX_ROLLBACK_WINDOW. Does not move an already recorded deadline: the deadline is a
    ///      promise made at upgrade time, and extending it would lengthen the exposure to old code.
    ///      Use {clearRollbackTarget} to end it early. A window of 0 disables rollbacks for future upgrades.
    /// @param window The new window in seconds.
    function setRollbackWindow(uint64 window) external onlyRole(DEFAULT_ADMIN_ROLE) {
        _setRollbackWindow(window);
    }

    /// @notice Returns the current rollback target and its deadline.
    /// @return target The implementation the guardian may roll back to (zero if none).
    /// @return deadline Last timestamp (inclusive) at which the rollback is allowed (zero if none).
    function rollbackTarget() external view returns (address target, uint64 deadline) {
        GovernedUUPSStorage storage $ = _getGovernedUUPSStorage();
        return ($.rollbackTarget, $.rollbackDeadline);
    }

    /// @notice Returns the rollback window applied to future forward upgrades.
    /// @return window The window in seconds (0 = rollbacks disabled).
    function rollbackWindow() external view returns (uint64 window) {
        return _getGovernedUUPSStorage().rollbackWindow;
    }

    /// @notice Upgrades the proxy to `newImplementation` and optionally calls it with `data`.
    /// @dev Only UPGRADER_ROLE may pass a setup call. The guardian's rollback path may only switch code:
    ///      a setup call would let the guardian execute arbitrary functions (e.g. re-initializers or
    ///      role changes) with its own privileges inside the rolled-back code. Accounts holding neither
    ///      role get the regular AccessControl error. Not virtual so derived contracts cannot drop this
    ///      restriction.
    /// @param newImplementation The implementation to switch to.
    /// @param data Setup call executed via delegatecall after the switch (must be empty for the guardian).
    function upgradeToAndCall(address newImplementation, bytes memory data) public payable override onlyProxy {
        address caller = _msgSender();
        if (data.length != 0 && !hasRole(UPGRADER_ROLE, caller)) {
            if (hasRole(GUARDIAN_ROLE, caller)) revert RollbackCallDataNotAllowed();
            revert AccessControlUnauthorizedAccount(caller, UPGRADER_ROLE);
        }
        super.upgradeToAndCall(newImplementation, data);
    }

    // solhint-disable func-name-mixedcase
    /// @notice Initializes roles and the rollback window. Must be called by every governed initializer.
    /// @dev The name follows OpenZeppelin's `__Contract_init` convention (hence the mixedCase exemption).
    ///      Zero addresses are refused because a proxy without a timelock can never be upgraded or
    ///      unpaused again, and one without a guardian has no emergency brake.
    /// @param timelock The TimelockController (admin, upgrader).
    /// @param guardian The guardian Safe (pauser, rollback guardian).
    /// @param rollbackWindow_ The initial rollback window in seconds (at most MAX_ROLLBACK_WINDOW).
    function __GovernedUUPS_init(address timelock, address guardian, uint64 rollbackWindow_) internal onlyInitializing {
        if (timelock == address(0) || guardian == address(0)) revert ZeroAddress();
        __Pausable_init();
        __AccessControl_init();
        _grantRole(DEFAULT_ADMIN_ROLE, timelock);
        _grantRole(UPGRADER_ROLE, timelock);
        _grantRole(PAUSER_ROLE, guardian);
        _grantRole(GUARDIAN_ROLE, guardian);
        _setRollbackWindow(rollbackWindow_);
    }
    // solhint-enable func-name-mixedcase

    /// @notice Upgrade policy: forward upgrades by the timelock, one-step rollbacks by the guardian.
    /// @dev Two authorized paths:
    ///      - UPGRADER_ROLE (forward upgrade through the timelock): the OUTGOING implementation becomes the
    ///        rollback target, valid until `block.timestamp + rollbackWindow`. With a window of 0 any
    ///        previous target is dropped instead, so a stale target can never outlive a newer upgrade.
    ///      - GUARDIAN_ROLE (instant rollback): only to the recorded target, only before its deadline, and
    ///        the target is consumed so the guardian cannot toggle between implementations.
    ///      Not virtual so derived contracts cannot weaken the policy.
    /// @param newImplementation The implementation being switched to.
    function _authorizeUpgrade(address newImplementation) internal override {
        address caller = _msgSender();
        if (hasRole(UPGRADER_ROLE, caller)) {
            _recordRollbackTarget();
        } else if (hasRole(GUARDIAN_ROLE, caller)) {
            _consumeRollbackTarget(newImplementation, caller);
        } else {
            revert AccessControlUnauthorizedAccount(caller, UPGRADER_ROLE);
        }
    }

    /// @notice Forward-upgrade bookkeeping: remember the outgoing implementation (or clear if window is 0).
    function _recordRollbackTarget() private {
        GovernedUUPSStorage storage $ = _getGovernedUUPSStorage();
        uint64 window = $.rollbackWindow;
        if (window == 0) {
            _clearRollbackTarget();
            return;
        }
        address outgoing = ERC1967Utils.getImplementation();
        uint64 deadline = uint64(block.timestamp) + window;
        $.rollbackTarget = outgoing;
        $.rollbackDeadline = deadline;
        emit RollbackTargetSet(outgoing, deadline);
    }

    /// @notice Guardian rollback checks; consumes the target so the rollback can happen only once.
    /// @param newImplementation The implementation the guardian asked for.
    /// @param guardian The guardian performing the rollback.
    function _consumeRollbackTarget(address newImplementation, address guardian) private {
        GovernedUUPSStorage storage $ = _getGovernedUUPSStorage();
        address target = $.rollbackTarget;
        if (target == address(0)) revert NoRollbackTarget();
        if (newImplementation != target) revert RollbackTargetMismatch(newImplementation, target);
        uint64 deadline = $.rollbackDeadline;
        if (block.timestamp > deadline) revert RollbackWindowExpired(deadline);
        delete $.rollbackTarget;
        delete $.rollbackDeadline;
        emit RolledBack(ERC1967Utils.getImplementation(), target, guardian);
        emit RollbackTargetCleared(target);
    }

    /// @notice Removes target and deadline; emits only if a target existed.
    function _clearRollbackTarget() private {
        GovernedUUPSStorage storage $ = _getGovernedUUPSStorage();
        address old = $.rollbackTarget;
        if (old == address(0)) return;
        delete $.rollbackTarget;
        delete $.rollbackDeadline;
        emit RollbackTargetCleared(old);
    }

    /// @notice Bounded setter shared by the initializer and {setRollbackWindow}.
    /// @param window The new window in seconds.
    function _setRollbackWindow(uint64 window) private {
        if (window > MAX_ROLLBACK_WINDOW) revert RollbackWindowTooLong(window, MAX_ROLLBACK_WINDOW);
        GovernedUUPSStorage storage $ = _getGovernedUUPSStorage();
        uint64 previous = $.rollbackWindow;
        $.rollbackWindow = window;
        emit RollbackWindowChanged(previous, window);
    }

    /// @notice ERC-7201 storage pointer. Assembly is the only way to point a storage struct at a computed
    ///      slot; it is a single slot assignment with no other effects.
    /// @return store The namespaced storage struct.
    function _getGovernedUUPSStorage() private pure returns (GovernedUUPSStorage storage store) {
        // solhint-disable-next-line no-inline-assembly
        assembly {
            store.slot := GOVERNED_UUPS_STORAGE_LOCATION
        }
    }
}
