// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {IAccessControl} from "@openzeppelin/contracts/access/IAccessControl.sol";
import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {DatanetRegistry} from "../datanets/DatanetRegistry.sol";
import {IDatanetRegistry} from "../datanets/IDatanetRegistry.sol";
import {MockERC20} from "../test/MockERC20.sol";
import {Test} from "../test/Vm.sol";
import {IModelRegistry} from "./IModelRegistry.sol";
import {ModelRegistry} from "./ModelRegistry.sol";

contract ModelRegistryTest is Test {
    MockERC20 internal token;
    DatanetRegistry internal datanets;
    ModelRegistry internal reg;

    address internal constant ADMIN = address(0xAD);
    address internal constant BUILDER = address(0xB1);
    address internal constant EVE = address(0xEE);
    address internal constant CONTRIBUTOR = address(0xC1);

    uint256 internal dnA;
    uint256 internal dnB;

    function setUp() public {
        token = new MockERC20();
        datanets = new DatanetRegistry(IERC20(address(token)), ADMIN, ADMIN);
        reg = new ModelRegistry(IDatanetRegistry(address(datanets)), ADMIN);
        DatanetRegistry.Settings memory s = DatanetRegistry.Settings(DatanetRegistry.Policy.Open, ADMIN, 0, 0, 0);
        dnA = datanets.createDatanet("a", "MIT", "", s);
        dnB = datanets.createDatanet("b", "MIT", "", s);
        // Versions: A at 2, B at 1.
        vm.startPrank(CONTRIBUTOR);
        datanets.submitContribution(dnA, keccak256("a1"), bytes("x"), 1, 1);
        datanets.submitContribution(dnA, keccak256("a2"), bytes("x"), 1, 1);
        datanets.submitContribution(dnB, keccak256("b1"), bytes("x"), 1, 1);
        vm.stopPrank();
    }

    function _refs2() internal view returns (ModelRegistry.DatanetRef[] memory r) {
        r = new ModelRegistry.DatanetRef[](2);
        r[0] = ModelRegistry.DatanetRef(uint64(dnA), 2, 7_000);
        r[1] = ModelRegistry.DatanetRef(uint64(dnB), 1, 3_000);
    }

    function _params() internal view returns (ModelRegistry.ModelParams memory p) {
        p.name = "med-llama-lora";
        p.baseModelId = keccak256("meta-llama/Llama-3.1-8B-Instruct");
        p.adapterHash = keccak256("adapter-weights");
        p.adapterURI = "ipfs://adapter";
        p.datanets = _refs2();
        p.ratePer1kIn = 1e15;
        p.ratePer1kOut = 3e15;
        p.split = ModelRegistry.Split({ownerBps: 3_000, contributorsBps: 5_000, protocolBps: 2_000});
    }

    function _register(ModelRegistry.ModelParams memory p) internal returns (uint256 id) {
        vm.prank(BUILDER);
        id = reg.registerModel(p);
    }

    function test_ConstructorRejectsZeroAddresses() public {
        vm.expectRevert(ModelRegistry.ZeroAddress.selector);
        new ModelRegistry(IDatanetRegistry(address(0)), ADMIN);
        vm.expectRevert(ModelRegistry.ZeroAddress.selector);
        new ModelRegistry(IDatanetRegistry(address(datanets)), address(0));
    }

    function test_RegisterStoresModelAndPricing() public {
        vm.expectEmit(true, true, true, true, address(reg));
        emit ModelRegistry.ModelRegistered(
            1,
            BUILDER,
            IModelRegistry.ModelKind.Large,
            "med-llama-lora",
            keccak256("meta-llama/Llama-3.1-8B-Instruct"),
            keccak256("adapter-weights"),
            "ipfs://adapter"
        );
        uint256 id = _register(_params());
        assertEq(id, 1, "id");
        assertEq(reg.modelCount(), 1, "count");
        ModelRegistry.Model memory m = reg.getModel(id);
        assertEq(m.owner, BUILDER, "owner");
        assertEq(m.adapterHash, keccak256("adapter-weights"), "adapter");
        assertEq(m.ratePer1kIn, 1e15, "rate in");
        assertEq(m.ratePer1kOut, 3e15, "rate out");
        assertEq(m.datanets.length, 2, "datanets");
        assertEq(m.datanets[0].version, 2, "version A");
        assertEq(m.datanets[1].weightBps, 3_000, "weight B");
        assertEq(m.registeredAt, block.timestamp, "registeredAt");
        assertTrue(m.kind == IModelRegistry.ModelKind.Large, "kind in getModel");
        assertTrue(reg.kindOf(id) == IModelRegistry.ModelKind.Large, "kindOf");
        IModelRegistry.Pricing memory p = reg.pricing(id);
        assertEq(p.owner, BUILDER, "pricing owner");
        assertEq(p.contributorsBps, 5_000, "contributors bps");
        assertEq(p.ownerBps, 3_000, "owner bps");
        assertEq(p.protocolBps, 2_000, "protocol bps");
        assertTrue(p.active, "active");
        assertEq(reg.datanetsOf(id).length, 2, "datanetsOf");
    }

    /// @dev The kind is set at registration, emitted indexed, and survives every update the owner can make.
    function test_ModelKindIsFixedAtRegistration() public {
        ModelRegistry.ModelParams memory p = _params();
        p.kind = IModelRegistry.ModelKind.Small;
        vm.expectEmit(true, true, true, false, address(reg));
        emit ModelRegistry.ModelRegistered(1, BUILDER, IModelRegistry.ModelKind.Small, "", 0, 0, "");
        uint256 small = _register(p);
        uint256 large = _register(_params());
        assertTrue(reg.kindOf(small) == IModelRegistry.ModelKind.Small, "small");
        assertTrue(reg.kindOf(large) == IModelRegistry.ModelKind.Large, "large");
        vm.startPrank(BUILDER);
        reg.setPricing(small, 1, 1, ModelRegistry.Split(3_000, 5_000, 2_000));
        reg.updateAdapter(small, keccak256("v2"), "ipfs://v2", _refs2());
        reg.transferModelOwnership(small, EVE);
        vm.stopPrank();
        vm.prank(EVE);
        reg.deprecate(small);
        assertTrue(reg.kindOf(small) == IModelRegistry.ModelKind.Small, "still small after every update");
        assertTrue(reg.getModel(small).kind == IModelRegistry.ModelKind.Small, "getModel agrees");
    }

    /// @dev An out-of-range kind fails ABI decoding: nothing is registered.
    function test_RegisterRejectsUnknownKind() public {
        bytes memory good = abi.encodeCall(ModelRegistry.registerModel, (_params()));
        bytes memory bad = good;
        // registerModel(tuple): word 0 is the tuple offset, word 1 the name offset, word 2 the kind.
        assertEq(uint256(bytes32(_slice(good, 4 + 64))), 0, "kind word located");
        bad[4 + 64 + 31] = bytes1(uint8(2));
        vm.prank(BUILDER);
        (bool ok,) = address(reg).call(bad);
        assertFalse(ok, "kind 2 refused");
        assertEq(reg.modelCount(), 0, "nothing registered");
        bad[4 + 64 + 31] = bytes1(uint8(1));
        vm.prank(BUILDER);
        (ok,) = address(reg).call(bad);
        assertTrue(ok, "kind 1 accepted");
        assertTrue(reg.kindOf(1) == IModelRegistry.ModelKind.Small, "small");
    }

    function _slice(bytes memory b, uint256 at) internal pure returns (bytes32 w) {
        assembly {
            w := mload(add(add(b, 32), at))
        }
    }

    function test_RegisterValidatesStringsRatesAndSplit() public {
        ModelRegistry.ModelParams memory p = _params();
        p.name = "";
        vm.expectRevert(ModelRegistry.InvalidString.selector);
        _register(p);
        p.name = string(new bytes(65));
        vm.expectRevert(ModelRegistry.InvalidString.selector);
        _register(p);
        p = _params();
        p.adapterURI = string(new bytes(513));
        vm.expectRevert(ModelRegistry.InvalidString.selector);
        _register(p);
        p = _params();
        (p.ratePer1kIn, p.ratePer1kOut) = (0, 0);
        vm.expectRevert(ModelRegistry.ZeroRates.selector);
        _register(p);
        p = _params();
        p.split = ModelRegistry.Split(3_000, 5_000, 1_999); // sum 9,999
        vm.expectRevert(ModelRegistry.InvalidSplit.selector);
        _register(p);
        p.split = ModelRegistry.Split(6_100, 2_999, 900 + 1_000); // contributors < 30%
        vm.expectRevert(ModelRegistry.InvalidSplit.selector);
        _register(p);
        p.split = ModelRegistry.Split(6_001, 3_000, 999); // protocol < 10%
        vm.expectRevert(ModelRegistry.InvalidSplit.selector);
        _register(p);
        p.split = ModelRegistry.Split(6_000, 3_000, 1_000); // exactly at the bounds
        assertEq(_register(p), 1, "bounds are inclusive");
    }

    function test_RegisterValidatesDatanets() public {
        ModelRegistry.ModelParams memory p = _params();
        p.datanets = new ModelRegistry.DatanetRef[](0);
        vm.expectRevert(ModelRegistry.InvalidDatanets.selector);
        _register(p);
        p.datanets = new ModelRegistry.DatanetRef[](17);
        vm.expectRevert(ModelRegistry.InvalidDatanets.selector);
        _register(p);

        p.datanets = _refs2();
        p.datanets[1].datanetId = uint64(dnA); // duplicate (not increasing)
        vm.expectRevert(ModelRegistry.InvalidDatanets.selector);
        _register(p);
        p.datanets = _refs2();
        p.datanets[1].weightBps = 0;
        vm.expectRevert(ModelRegistry.InvalidDatanets.selector);
        _register(p);
        p.datanets = _refs2();
        p.datanets[1].weightBps = 2_999; // weights sum 9,999
        vm.expectRevert(ModelRegistry.InvalidDatanets.selector);
        _register(p);
        p.datanets = _refs2();
        p.datanets[0].version = 3; // A is only at version 2
        vm.expectRevert(abi.encodeWithSelector(ModelRegistry.InvalidDatanetVersion.selector, dnA, 3));
        _register(p);
        p.datanets[0].version = 0; // the empty dataset
        vm.expectRevert(abi.encodeWithSelector(ModelRegistry.InvalidDatanetVersion.selector, dnA, 0));
        _register(p);
        p.datanets = _refs2();
        p.datanets[1].datanetId = 99;
        vm.expectRevert(abi.encodeWithSelector(DatanetRegistry.UnknownDatanet.selector, 99));
        _register(p);
    }

    function test_SetPricingOwnerOnly() public {
        uint256 id = _register(_params());
        ModelRegistry.Split memory s = ModelRegistry.Split(2_000, 6_000, 2_000);
        vm.expectRevert(abi.encodeWithSelector(ModelRegistry.NotModelOwner.selector, id, EVE));
        vm.prank(EVE);
        reg.setPricing(id, 1, 1, s);
        vm.expectEmit(true, false, false, true, address(reg));
        emit ModelRegistry.ModelPricingSet(id, 5, 7, s);
        vm.prank(BUILDER);
        reg.setPricing(id, 5, 7, s);
        IModelRegistry.Pricing memory p = reg.pricing(id);
        assertEq(p.ratePer1kIn, 5, "rate in");
        assertEq(p.ratePer1kOut, 7, "rate out");
        assertEq(p.contributorsBps, 6_000, "contributors");
        vm.expectRevert(ModelRegistry.ZeroRates.selector);
        vm.prank(BUILDER);
        reg.setPricing(id, 0, 0, s);
        vm.expectRevert(abi.encodeWithSelector(ModelRegistry.UnknownModel.selector, 5));
        vm.prank(BUILDER);
        reg.setPricing(5, 1, 1, s);
    }

    function test_UpdateAdapterBumpsAdapterVersionAndDatanets() public {
        uint256 id = _register(_params());
        vm.prank(CONTRIBUTOR);
        datanets.submitContribution(dnB, keccak256("b2"), bytes("x"), 1, 1); // B now at version 2
        ModelRegistry.DatanetRef[] memory r = new ModelRegistry.DatanetRef[](1);
        r[0] = ModelRegistry.DatanetRef(uint64(dnB), 2, 10_000);
        vm.expectEmit(true, true, false, true, address(reg));
        emit ModelRegistry.ModelAdapterUpdated(id, 1, keccak256("v2"), "ipfs://v2");
        vm.prank(BUILDER);
        reg.updateAdapter(id, keccak256("v2"), "ipfs://v2", r);
        ModelRegistry.Model memory m = reg.getModel(id);
        assertEq(m.adapterVersion, 1, "adapter version");
        assertEq(m.adapterHash, keccak256("v2"), "hash");
        assertEq(m.datanets.length, 1, "datanets replaced");
        assertEq(m.datanets[0].version, 2, "new version");
        vm.expectRevert(ModelRegistry.InvalidString.selector);
        vm.prank(BUILDER);
        reg.updateAdapter(id, keccak256("v3"), string(new bytes(513)), r);
        vm.expectRevert(abi.encodeWithSelector(ModelRegistry.NotModelOwner.selector, id, EVE));
        vm.prank(EVE);
        reg.updateAdapter(id, keccak256("v3"), "", r);
    }

    function test_TransferOwnership() public {
        uint256 id = _register(_params());
        vm.expectRevert(ModelRegistry.ZeroAddress.selector);
        vm.prank(BUILDER);
        reg.transferModelOwnership(id, address(0));
        vm.prank(BUILDER);
        reg.transferModelOwnership(id, EVE);
        assertEq(reg.pricing(id).owner, EVE, "new owner receives the owner part");
        vm.expectRevert(abi.encodeWithSelector(ModelRegistry.NotModelOwner.selector, id, BUILDER));
        vm.prank(BUILDER);
        reg.transferModelOwnership(id, BUILDER);
    }

    function test_DeprecateIsFinalAndByOwnerOrGovernance() public {
        uint256 a = _register(_params());
        uint256 b = _register(_params());
        vm.expectRevert(abi.encodeWithSelector(ModelRegistry.NotModelOwner.selector, a, EVE));
        vm.prank(EVE);
        reg.deprecate(a);
        vm.expectEmit(true, true, false, false, address(reg));
        emit ModelRegistry.ModelDeprecated(a, BUILDER);
        vm.prank(BUILDER);
        reg.deprecate(a);
        vm.prank(ADMIN);
        reg.deprecate(b);
        assertFalse(reg.pricing(a).active, "a inactive");
        assertFalse(reg.pricing(b).active, "b inactive");
        vm.expectRevert(abi.encodeWithSelector(ModelRegistry.ModelIsDeprecated.selector, a));
        vm.prank(BUILDER);
        reg.deprecate(a);
        vm.expectRevert(abi.encodeWithSelector(ModelRegistry.ModelIsDeprecated.selector, a));
        vm.prank(BUILDER);
        reg.setPricing(a, 1, 1, ModelRegistry.Split(3_000, 5_000, 2_000));
    }

    function test_SplitBoundsGovernance() public {
        vm.expectRevert(
            abi.encodeWithSelector(IAccessControl.AccessControlUnauthorizedAccount.selector, EVE, reg.DEFAULT_ADMIN_ROLE())
        );
        vm.prank(EVE);
        reg.setSplitBounds(4_000, 1_000);
        vm.expectRevert(ModelRegistry.ParamOutOfBounds.selector);
        vm.prank(ADMIN);
        reg.setSplitBounds(9_001, 1_000);
        vm.prank(ADMIN);
        reg.setSplitBounds(6_000, 2_000);
        assertEq(reg.minContributorsBps(), 6_000, "min contributors");
        ModelRegistry.ModelParams memory p = _params(); // 50% contributors is now too little
        vm.expectRevert(ModelRegistry.InvalidSplit.selector);
        _register(p);
    }

    function test_UnknownModelReverts() public {
        vm.expectRevert(abi.encodeWithSelector(ModelRegistry.UnknownModel.selector, 1));
        reg.pricing(1);
        vm.expectRevert(abi.encodeWithSelector(ModelRegistry.UnknownModel.selector, 1));
        reg.getModel(1);
        vm.expectRevert(abi.encodeWithSelector(ModelRegistry.UnknownModel.selector, 1));
        reg.kindOf(1);
        vm.expectRevert(abi.encodeWithSelector(ModelRegistry.UnknownModel.selector, 1));
        reg.datanetsOf(1);
        vm.expectRevert(abi.encodeWithSelector(ModelRegistry.UnknownModel.selector, 1));
        reg.deprecate(1);
    }

    /// @notice Any split summing to 10,000 within the bounds registers; anything else is refused.
    /// hardhat-config: fuzz.runs = 1000
    function testFuzz_SplitBounds(uint16 ownerBps, uint16 contributorsBps, uint16 protocolBps) public {
        ModelRegistry.ModelParams memory p = _params();
        p.split = ModelRegistry.Split(ownerBps % 10_001, contributorsBps % 10_001, protocolBps % 10_001);
        bool valid = uint256(p.split.ownerBps) + p.split.contributorsBps + p.split.protocolBps == 10_000
            && p.split.contributorsBps >= 3_000 && p.split.protocolBps >= 1_000;
        if (!valid) vm.expectRevert(ModelRegistry.InvalidSplit.selector);
        vm.prank(BUILDER);
        reg.registerModel(p);
        if (valid) {
            IModelRegistry.Pricing memory pr = reg.pricing(1);
            assertEq(uint256(pr.ownerBps) + pr.contributorsBps + pr.protocolBps, 10_000, "sum");
        }
    }
}
