// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {FuzzSelector, InvariantTest} from "../test/InvariantTest.sol";
import {MockERC20} from "../test/MockERC20.sol";
import {Vm} from "../test/Vm.sol";
import {DatanetRegistry} from "./DatanetRegistry.sol";

/// @notice Drives DatanetRegistry through random stakes, unstakes, submissions (fresh and duplicate hashes) to an
///         open and an owner-approval Datanet, batch approvals, spam and plain rejections, treasury withdrawals,
///         slash-parameter changes and time, keeping ghost books of stakes, credits and versions.
contract DatanetHandler {
    Vm private constant vm = Vm(address(uint160(uint256(keccak256("hevm cheat code")))));

    DatanetRegistry internal immutable reg;
    MockERC20 internal immutable token;
    address internal immutable owner;
    address internal immutable admin;
    address public immutable treasury;
    uint256 public immutable openId;
    uint256 public immutable reviewedId;

    uint256 internal constant MAX_HASHES = 256;

    address[3] public contributors = [address(0xC001), address(0xC002), address(0xC003)];
    bytes32[] internal hashes; // every hash a submission succeeded with
    bytes32[] internal pendingHashes;
    uint256 internal nonce;

    mapping(uint256 => mapping(address => uint256)) public ghostStake;
    uint256 public ghostCredits;
    mapping(uint256 => uint256) public ghostVersion;
    mapping(uint256 => uint256) public ghostApproved;
    uint256 public slashViolations;
    uint256 public duplicatesAccepted;
    uint256 public spamRejections;

    constructor(DatanetRegistry reg_, MockERC20 token_, address owner_, address admin_, address treasury_) {
        (reg, token, owner, admin, treasury) = (reg_, token_, owner_, admin_, treasury_);
        DatanetRegistry.Settings memory s = DatanetRegistry.Settings(DatanetRegistry.Policy.Open, treasury_, 10e18, 0, 0);
        vm.prank(owner_);
        openId = reg_.createDatanet("open", "MIT", "", s);
        s.policy = DatanetRegistry.Policy.OwnerApproval;
        vm.prank(owner_);
        reviewedId = reg_.createDatanet("reviewed", "MIT", "", s);
        for (uint256 i = 0; i < 3; ++i) {
            token_.mint(contributors[i], 1e30);
            vm.prank(contributors[i]);
            token_.approve(address(reg_), type(uint256).max);
        }
    }

    function stake(uint256 whoSeed, bool reviewed, uint256 amountSeed) external {
        address who = contributors[whoSeed % 3];
        uint256 id = reviewed ? reviewedId : openId;
        uint256 amount = 1 + (amountSeed % 100e18);
        vm.prank(who);
        reg.stake(id, amount);
        ghostStake[id][who] += amount;
    }

    function unstake(uint256 whoSeed, bool reviewed, uint256 amountSeed) external {
        address who = contributors[whoSeed % 3];
        uint256 id = reviewed ? reviewedId : openId;
        uint256 amount = 1 + (amountSeed % (ghostStake[id][who] + 1));
        vm.prank(who);
        try reg.unstake(id, amount) {
            ghostStake[id][who] -= amount;
        } catch {}
    }

    function submit(uint256 whoSeed, bool reviewed, bool duplicate, uint256 seed) external {
        address who = contributors[whoSeed % 3];
        uint256 id = reviewed ? reviewedId : openId;
        bool reuse = duplicate && hashes.length != 0;
        bytes32 h = reuse ? hashes[seed % hashes.length] : keccak256(abi.encode("row", nonce++));
        vm.prank(who);
        try reg.submitContribution(id, h, bytes("eigenda:cert"), uint64(1 + (seed % 4096)), 1) {
            if (reuse) duplicatesAccepted++;
            if (hashes.length < MAX_HASHES) hashes.push(h);
            if (reviewed) {
                pendingHashes.push(h);
            } else {
                ghostVersion[id] += 1;
                ghostApproved[id] += 1;
            }
        } catch {}
    }

    function approve(uint256 countSeed) external {
        uint256 n = _take(countSeed);
        if (n == 0) return;
        bytes32[] memory batch = _popPending(n);
        vm.prank(owner);
        reg.approveContributions(reviewedId, batch);
        ghostVersion[reviewedId] += 1;
        ghostApproved[reviewedId] += n;
    }

    function reject(uint256 countSeed, bool spam) external {
        uint256 n = _take(countSeed);
        if (n == 0) return;
        bytes32[] memory batch = _popPending(n);
        uint256[] memory before = new uint256[](n);
        address[] memory who = new address[](n);
        for (uint256 i = 0; i < n; ++i) {
            who[i] = reg.getContribution(batch[i]).contributor;
        }
        uint256 bps = reg.spamSlashBps();
        vm.prank(owner);
        reg.rejectContributions(reviewedId, batch, spam);
        if (!spam) return;
        spamRejections += n;
        // Replay the slashes on the ghost book in order (a contributor may appear twice in one batch).
        for (uint256 i = 0; i < n; ++i) {
            before[i] = ghostStake[reviewedId][who[i]];
            uint256 slash = (before[i] * bps) / 10_000;
            if (slash > before[i]) slashViolations++;
            ghostStake[reviewedId][who[i]] = before[i] - slash;
            ghostCredits += slash;
        }
        for (uint256 i = 0; i < n; ++i) {
            (uint256 staked,) = reg.stakeOf(reviewedId, who[i]);
            if (staked != ghostStake[reviewedId][who[i]]) slashViolations++;
        }
    }

    function withdrawTreasury() external {
        vm.prank(treasury);
        try reg.withdraw() returns (uint256 amount) {
            ghostCredits -= amount;
        } catch {}
    }

    function setSlash(uint256 bpsSeed) external {
        vm.prank(admin);
        reg.setSpamSlashBps(bpsSeed % 5_001);
    }

    function warp(uint256 secondsSeed) external {
        vm.warp(block.timestamp + 1 + (secondsSeed % 3 days));
    }

    function hashCount() external view returns (uint256) {
        return hashes.length;
    }

    function _take(uint256 seed) internal view returns (uint256) {
        uint256 n = pendingHashes.length;
        if (n == 0) return 0;
        uint256 k = 1 + (seed % 3);
        return k < n ? k : n;
    }

    function _popPending(uint256 n) internal returns (bytes32[] memory batch) {
        batch = new bytes32[](n);
        for (uint256 i = 0; i < n; ++i) {
            batch[i] = pendingHashes[pendingHashes.length - 1];
            pendingHashes.pop();
        }
    }
}

contract DatanetRegistryInvariants is InvariantTest {
    MockERC20 internal token;
    DatanetRegistry internal reg;
    DatanetHandler internal handler;

    function setUp() public {
        token = new MockERC20();
        reg = new DatanetRegistry(IERC20(address(token)), address(0xAD), address(0x6A));
        handler = new DatanetHandler(reg, token, address(0x0E), address(0xAD), address(0x7E));
        bytes4[] memory selectors = new bytes4[](10);
        selectors[0] = DatanetHandler.stake.selector;
        selectors[1] = DatanetHandler.unstake.selector;
        selectors[2] = DatanetHandler.submit.selector;
        selectors[3] = DatanetHandler.approve.selector;
        selectors[4] = DatanetHandler.reject.selector;
        selectors[5] = DatanetHandler.withdrawTreasury.selector;
        selectors[6] = DatanetHandler.setSlash.selector;
        selectors[7] = DatanetHandler.warp.selector;
        selectors[8] = DatanetHandler.submit.selector; // submissions twice as likely: reviews need them
        selectors[9] = DatanetHandler.stake.selector;
        targetContract(address(handler));
        targetSelector(FuzzSelector(address(handler), selectors));
    }

    /// @custom:invariant a spam slash never exceeds the stake it is taken from, and every stake equals its ghost.
    function invariant_SlashNeverExceedsStake() public view {
        assertEq(handler.slashViolations(), 0, "slash violations");
        uint256[2] memory ids = [handler.openId(), handler.reviewedId()];
        for (uint256 d = 0; d < 2; ++d) {
            for (uint256 i = 0; i < 3; ++i) {
                (uint256 staked,) = reg.stakeOf(ids[d], handler.contributors(i));
                assertEq(staked, handler.ghostStake(ids[d], handler.contributors(i)), "stake = ghost");
            }
        }
    }

    /// @custom:invariant the registry holds exactly Σ stakes + Σ treasury credits.
    function invariant_StakeTokenConservation() public view {
        uint256 sum = reg.credits(handler.treasury());
        assertEq(sum, handler.ghostCredits(), "credits = ghost");
        uint256[2] memory ids = [handler.openId(), handler.reviewedId()];
        for (uint256 d = 0; d < 2; ++d) {
            for (uint256 i = 0; i < 3; ++i) {
                (uint256 staked,) = reg.stakeOf(ids[d], handler.contributors(i));
                sum += staked;
            }
        }
        assertEq(token.balanceOf(address(reg)), sum, "balance = stakes + credits");
    }

    /// @custom:invariant version = approval batches; leaves = approved contributions; the stored root is the
    ///                   current version's root.
    function invariant_VersionsFollowApprovals() public view {
        uint256[2] memory ids = [handler.openId(), handler.reviewedId()];
        for (uint256 d = 0; d < 2; ++d) {
            DatanetRegistry.Datanet memory dn = reg.getDatanet(ids[d]);
            assertEq(dn.version, handler.ghostVersion(ids[d]), "version = batches");
            assertEq(dn.approvedCount, handler.ghostApproved(ids[d]), "leaves = approvals");
            assertEq(dn.root, reg.versionRoot(ids[d], dn.version), "root = version root");
        }
    }

    /// @custom:invariant a content hash registers at most once.
    function invariant_ContentHashRegisteredOnce() public view {
        assertEq(handler.duplicatesAccepted(), 0, "duplicate accepted");
    }
}
