//===--- LifetimeEngine.cpp - leak-tidy ----------------------------------===//
#include "lib/core/LifetimeEngine.h"
#include "clang/AST/ASTContext.h"
#include "clang/AST/DeclCXX.h"
#include "clang/AST/ExprCXX.h"
#include "clang/AST/ParentMap.h"
#include "clang/AST/StmtCXX.h"
#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/FoldingSet.h"
#include <deque>

namespace clang {
namespace leaklib {

ResourceModel::~ResourceModel() = default;

bool ResourceModel::mayThrow(const Stmt *S) { return mayThrowDefault(S); }
EdgeVerdict ResourceModel::edgeVerdict(const BranchEdge &E) {
  return defaultEdgeVerdict(E);
}
const VarDecl *ResourceModel::adopts(const Stmt *) { return nullptr; }
bool ResourceModel::isStableCondition(const Expr *) { return false; }

static bool functionMayThrow(const FunctionDecl *FD) {
  if (!FD)
    return true; // calls through pointers: unknown, assume they may
  if (FD->isExternC() || FD->isInExternCContext())
    return false;
  if (isa<CXXDestructorDecl>(FD))
    return false;
  if (const auto *FPT = FD->getType()->getAs<FunctionProtoType>())
    if (FPT->isNothrow())
      return false;
  return true;
}

bool mayThrowDefault(const Stmt *S) {
  if (const auto *CE = dyn_cast<CallExpr>(S)) {
    if (CE->getBuiltinCallee())
      return false;
    return functionMayThrow(CE->getDirectCallee());
  }
  if (const auto *CCE = dyn_cast<CXXConstructExpr>(S)) {
    const CXXConstructorDecl *Ctor = CCE->getConstructor();
    if (!Ctor || Ctor->isTrivial())
      return false;
    return functionMayThrow(Ctor);
  }
  return false;
}

const PathStep *LeakPath::leavingStep() const {
  for (auto It = Steps.rbegin(); It != Steps.rend(); ++It) {
    switch (It->K) {
    case PathStep::Return:
    case PathStep::Break:
    case PathStep::Continue:
    case PathStep::Goto:
    case PathStep::Throw:
    case PathStep::MayThrow:
      return &*It;
    default:
      break;
    }
  }
  return Steps.empty() ? nullptr : &Steps.back();
}

//===-- The acquisition's own failure ---------------------------------===//

const ValueDecl *acquisitionResult(const Stmt *Acquire, ParentMap &PM) {
  if (!Acquire)
    return nullptr;
  const Stmt *Child = Acquire;
  const Stmt *P = PM.getParent(Acquire);
  while (P && (isa<ImplicitCastExpr>(P) || isa<ParenExpr>(P) ||
               isa<ExprWithCleanups>(P) || isa<ExplicitCastExpr>(P))) {
    Child = P;
    P = PM.getParent(P);
  }
  if (!P)
    return nullptr;
  auto InitIsChild = [&](const VarDecl *VD) {
    return VD && VD->getInit() == Child;
  };
  if (const auto *DS = dyn_cast<DeclStmt>(P)) {
    for (const Decl *D : DS->decls())
      if (const auto *VD = dyn_cast<VarDecl>(D); InitIsChild(VD))
        return VD;
    return nullptr;
  }
  if (const auto *If = dyn_cast<IfStmt>(P);
      If && InitIsChild(If->getConditionVariable()))
    return If->getConditionVariable();
  if (const auto *BO = dyn_cast<BinaryOperator>(P))
    if (BO->getOpcode() == BO_Assign && BO->getRHS() == Child)
      if (const auto *DRE =
              dyn_cast<DeclRefExpr>(BO->getLHS()->IgnoreParenImpCasts()))
        return DRE->getDecl();
  return nullptr;
}

namespace {

/// Whether \p E is the acquisition's result: the call itself, an assignment
/// from it, or the variable holding it.
bool isResultExpr(const Expr *E, const Stmt *Acquire, const ValueDecl *Result) {
  E = E->IgnoreParenCasts();
  if (E == Acquire)
    return true;
  if (const auto *BO = dyn_cast<BinaryOperator>(E))
    return BO->getOpcode() == BO_Assign &&
           BO->getRHS()->IgnoreParenCasts() == Acquire;
  const auto *DRE = dyn_cast<DeclRefExpr>(E);
  return Result && DRE && DRE->getDecl() == Result;
}

/// \p E without parens, implicit casts and `!`s; \p Negated flips per `!`.
const Expr *peelNot(const Expr *E, bool &Negated) {
  E = E->IgnoreParenImpCasts();
  while (const auto *UO = dyn_cast<UnaryOperator>(E)) {
    if (UO->getOpcode() != UO_LNot)
      break;
    Negated = !Negated;
    E = UO->getSubExpr()->IgnoreParenImpCasts();
  }
  return E;
}

BinaryOperatorKind mirror(BinaryOperatorKind Op) {
  switch (Op) {
  case BO_LT:
    return BO_GT;
  case BO_GT:
    return BO_LT;
  case BO_LE:
    return BO_GE;
  case BO_GE:
    return BO_LE;
  default:
    return Op;
  }
}

/// Whether some successful result X makes `X Op K` evaluate to \p Sense.
bool successCanGive(FailureConvention C, BinaryOperatorKind Op, int64_t K,
                    bool Sense) {
  switch (C) {
  case FailureConvention::NonZeroStatus: { // success: X == 0
    bool V = Op == BO_LT   ? 0 < K
             : Op == BO_LE ? 0 <= K
             : Op == BO_GT ? 0 > K
             : Op == BO_GE ? 0 >= K
             : Op == BO_EQ ? 0 == K
                           : 0 != K;
    return V == Sense;
  }
  case FailureConvention::NullPointer: // success: X != null
    if (K != 0 || (Op != BO_EQ && Op != BO_NE))
      return true;
    return (Op == BO_NE) == Sense;
  case FailureConvention::NegativeValue: // success: X >= 0, unbounded
    switch (Op) {
    case BO_LT:
      return Sense ? K > 0 : true;
    case BO_LE:
    case BO_EQ:
      return Sense ? K >= 0 : true;
    case BO_NE:
    case BO_GT:
      return Sense ? true : K >= 0;
    case BO_GE:
      return Sense ? true : K > 0;
    default:
      return true;
    }
  case FailureConvention::None:
    break;
  }
  return true;
}

} // namespace

std::optional<bool> failureValue(const Expr *Cond, const BranchEdge &E) {
  if (!Cond || E.Failure == FailureConvention::None)
    return std::nullopt;
  bool Negated = false;
  const Expr *C = peelNot(Cond, Negated);
  BinaryOperatorKind Op = BO_NE;
  int64_t K = 0;
  if (!isResultExpr(C, E.Acquire, E.Result)) {
    const auto *BO = dyn_cast<BinaryOperator>(C);
    if (!BO || !BO->isComparisonOp() || !E.Ctx)
      return std::nullopt;
    const Expr *L = BO->getLHS(), *R = BO->getRHS();
    Op = BO->getOpcode();
    if (isResultExpr(R, E.Acquire, E.Result)) {
      std::swap(L, R);
      Op = mirror(Op);
    }
    if (!isResultExpr(L, E.Acquire, E.Result) || R->isValueDependent())
      return std::nullopt;
    Expr::EvalResult Val;
    if (R->isNullPointerConstant(*E.Ctx, Expr::NPC_ValueDependentIsNotNull) !=
        Expr::NPCK_NotNull)
      K = 0;
    else if (R->EvaluateAsInt(Val, *E.Ctx) &&
             Val.Val.getInt().getSignificantBits() <= 64)
      K = Val.Val.getInt().getExtValue();
    else
      return std::nullopt;
  }
  bool TrueFails = !successCanGive(E.Failure, Op, K, true);
  bool FalseFails = !successCanGive(E.Failure, Op, K, false);
  if (TrueFails == FalseFails)
    return std::nullopt;
  return TrueFails != Negated;
}

EdgeVerdict defaultEdgeVerdict(const BranchEdge &E) {
  if (E.Failure == FailureConvention::None || !E.Condition || E.Successor > 1 ||
      !E.Terminator)
    return EdgeVerdict::Follow;
  const auto *BO = dyn_cast<BinaryOperator>(E.Terminator);
  if (!isa<IfStmt>(E.Terminator) && !isa<ConditionalOperator>(E.Terminator) &&
      !(BO && BO->isLogicalOp()))
    return EdgeVerdict::Follow; // loops and switches: not a failure test
  std::optional<bool> Fails = failureValue(E.Condition, E);
  if (Fails && *Fails == (E.Successor == 0))
    return EdgeVerdict::NotHeld;
  return EdgeVerdict::Follow;
}

namespace {

/// Whether \p Inner is \p Outer or nested inside it (through the parent map).
bool isWithin(ParentMap &PM, const Stmt *Inner, const Stmt *Outer) {
  for (const Stmt *S = Inner; S; S = PM.getParent(S))
    if (S == Outer)
      return true;
  return false;
}

/// The DeclStmt that declares \p V, found through the parent map of the body.
const DeclStmt *declStmtOf(FunctionCFG &F, const VarDecl *V) {
  if (!V)
    return nullptr;
  // The holder's DeclStmt is usually an element of the CFG.
  for (const CFGBlock *B : F.cfg())
    for (const CFGElement &E : *B)
      if (auto CS = E.getAs<CFGStmt>())
        if (const auto *DS = dyn_cast<DeclStmt>(CS->getStmt()))
          for (const Decl *D : DS->decls())
            if (D == V)
              return DS;
  return nullptr;
}

SourceLocation scopeEndLoc(const Stmt *Trigger) {
  if (!Trigger)
    return {};
  if (const auto *CS = dyn_cast<CompoundStmt>(Trigger))
    return CS->getRBracLoc();
  return Trigger->getBeginLoc();
}

/// A local the destructor of which surely runs at its scope end.
bool isAutomaticOwner(const VarDecl *V) {
  return V && V->hasLocalStorage() && !isa<ParmVarDecl>(V) &&
         !V->getType()->isReferenceType();
}

/// What the search knows on one path besides its position. Bounded: at
/// most MaxSlots stable conditions (first come), at most 255 owners.
struct PathState {
  static constexpr unsigned MaxSlots = 4;
  uint8_t Known = 0; ///< bit i: the value of stable condition i is known
  uint8_t Value = 0; ///< bit i: ... and it is true
  uint8_t Owner = 0; ///< 0: held by the holder; i: adopted by Owners[i-1]
  bool Unsure = false;
  unsigned key() const {
    return Known | Value << 8 | Owner << 16 | unsigned(Unsure) << 24;
  }
};

using StateKey = std::pair<const CFGBlock *, unsigned>;

struct Visit {
  const CFGBlock *Pred = nullptr;
  unsigned PredState = 0;             // the key of Pred's entry state
  const Stmt *ViaException = nullptr; // the may-throw call for handler edges
};

/// One breadth-first search over (block, PathState). Lifetime mode: from
/// the acquisition in the "held" state to a leak. Reach mode (for
/// releasedBeforeEveryPath): from the entry to Q.Acquire, stopping only at
/// ReleasesAll. FromEntry mode (for reachedWhileHeld): held from the entry,
/// a leak only when Q.Acquire is reached again, with the path and the edge
/// verdicts of Lifetime mode.
class Search {
public:
  enum Mode { Lifetime, Reach, FromEntry };
  Search(FunctionCFG &F, const LifetimeQuery &Q, ResourceModel &M,
         bool Exceptions, Mode Md = Lifetime)
      : F(F), Q(Q), M(M), Exceptions(Exceptions), Md(Md) {}

  enum Outcome { NoLeak, Leak, Budget };

  Outcome run(const CFGBlock *Start, unsigned From, bool AtTerminator) {
    HolderDecl = Md == Lifetime ? declStmtOf(F, Q.Holder) : nullptr;
    if (Md == Lifetime && Q.Failure != FailureConvention::None)
      Result = Q.Result ? Q.Result : acquisitionResult(Q.Acquire, F.parents());
    StartBlock = Start;
    StartFrom = From;
    StartIsTerminator = AtTerminator;
    Init = Md == Lifetime ? guardsAround(Q.Acquire) : PathState();
    Queue.push_back({Start, From, true, Init});
    while (!Queue.empty()) {
      Item It = Queue.front();
      Queue.pop_front();
      Outcome O = processBlock(It);
      if (O != NoLeak)
        return O;
    }
    return NoLeak;
  }

  LeakPath Path;
  /// A leak was found, but only past an Unsure edge.
  bool UnsureLeak = false;

private:
  struct Item {
    const CFGBlock *B;
    unsigned From;
    bool IsStart;
    PathState St;
  };

  FunctionCFG &F;
  const LifetimeQuery &Q;
  ResourceModel &M;
  bool Exceptions;
  Mode Md;
  const ValueDecl *Result = nullptr;
  const DeclStmt *HolderDecl = nullptr;
  const CFGBlock *StartBlock = nullptr;
  unsigned StartFrom = 0;
  bool StartIsTerminator = false;
  PathState Init;
  unsigned Visits = 0;
  std::deque<Item> Queue;
  // Every (block, state) entered, but the start item itself: re-entering the
  // start block (a loop back edge) is allowed once per state.
  llvm::DenseMap<StateKey, Visit> Seen;
  llvm::SmallVector<llvm::FoldingSetNodeID, PathState::MaxSlots> Slots;
  llvm::DenseMap<const Expr *, int> SlotOf;
  llvm::SmallVector<const VarDecl *, 2> Owners;
  const CFGBlock *LeakBlock = nullptr;

  void enqueue(const CFGBlock *Succ, const CFGBlock *From, unsigned FromKey,
               PathState St, const Stmt *ViaException = nullptr) {
    if (!Succ)
      return;
    StateKey K{Succ, St.key()};
    if (Seen.count(K))
      return;
    Seen[K] = Visit{From, FromKey, ViaException};
    Queue.push_back({Succ, 0, false, St});
  }

  //===-- Stable conditions (path-dependent guards) ---------------------===//

  /// The slot of a stable `if` condition (its `!`s peeled into \p Negated),
  /// or -1 when it is not stable or all slots are taken.
  int slotOf(const Expr *Cond, bool &Negated) {
    Negated = false;
    const Expr *C = peelNot(Cond, Negated);
    auto It = SlotOf.find(C);
    if (It != SlotOf.end())
      return It->second;
    int Slot = -1;
    if (M.isStableCondition(C)) {
      llvm::FoldingSetNodeID ID;
      C->Profile(ID, F.context(), /*Canonical=*/true);
      for (unsigned I = 0; I < Slots.size() && Slot < 0; ++I)
        if (Slots[I] == ID)
          Slot = I;
      if (Slot < 0 && Slots.size() < PathState::MaxSlots) {
        Slots.push_back(ID);
        Slot = Slots.size() - 1;
      }
    }
    SlotOf[C] = Slot;
    return Slot;
  }

  /// Records that \p Cond evaluated to \p Value; false if the path already
  /// knows the opposite.
  bool assume(PathState &St, const Expr *Cond, bool Value) {
    bool Negated = false;
    int Slot = Cond ? slotOf(Cond, Negated) : -1;
    if (Slot < 0)
      return true;
    Value = Value != Negated;
    uint8_t Bit = 1u << Slot;
    if (St.Known & Bit)
      return bool(St.Value & Bit) == Value;
    St.Known |= Bit;
    if (Value)
      St.Value |= Bit;
    return true;
  }

  /// The initial state: the stable conditions of the `if`s around the
  /// acquisition are known.
  PathState guardsAround(const Stmt *Acquire) {
    PathState St;
    ParentMap &PM = F.parents();
    const Stmt *Child = Acquire;
    for (const Stmt *P = PM.getParent(Acquire); P && Child != F.body();
         Child = P, P = PM.getParent(P)) {
      if (isa<LambdaExpr>(P))
        break;
      if (const auto *If = dyn_cast<IfStmt>(P)) {
        if (Child == If->getThen())
          assume(St, If->getCond(), true);
        else if (Child == If->getElse())
          assume(St, If->getCond(), false);
      }
    }
    return St;
  }

  /// Judges the edge \p Index of \p B's branch to \p To; updates \p St.
  EdgeVerdict judgeEdge(const CFGBlock *B, const CFGBlock *To, unsigned Index,
                        PathState &St) {
    BranchEdge E;
    E.From = B;
    E.To = To;
    E.Terminator = B->getTerminatorStmt();
    E.Condition =
        dyn_cast_or_null<Expr>(B->getTerminatorCondition(/*Strip=*/false));
    E.Successor = Index;
    E.Acquire = Q.Acquire;
    E.Result = Result;
    E.Failure = Q.Failure;
    E.Ctx = &F.context();
    EdgeVerdict V = M.edgeVerdict(E);
    if (V == EdgeVerdict::NotHeld || V == EdgeVerdict::Infeasible)
      return V;
    if (V == EdgeVerdict::Unsure)
      St.Unsure = true;
    if (isa<IfStmt>(E.Terminator) && Index < 2 &&
        !assume(St, E.Condition, Index == 0))
      return EdgeVerdict::Infeasible;
    return V;
  }

  void enqueueSuccessors(const CFGBlock *B, unsigned EntryKey,
                         const PathState &St, bool SkipExit = false) {
    unsigned Reachable = 0;
    for (const CFGBlock *Succ : B->succs())
      Reachable += Succ != nullptr;
    bool Branch = Md != Reach && B->getTerminatorStmt() && Reachable > 1;
    unsigned Index = 0;
    for (const CFGBlock *Succ : B->succs()) {
      unsigned I = Index++;
      if (!Succ || (SkipExit && Succ == &F.cfg().getExit()))
        continue;
      PathState Next = St;
      if (Branch) {
        EdgeVerdict V = judgeEdge(B, Succ, I, Next);
        if (V == EdgeVerdict::NotHeld || V == EdgeVerdict::Infeasible)
          continue;
      }
      enqueue(Succ, B, EntryKey, Next);
    }
  }

  //===-- Walking blocks ------------------------------------------------===//

  static const CXXThrowExpr *throwIn(const CFGBlock *B) {
    if (const auto *T = dyn_cast_or_null<CXXThrowExpr>(B->getTerminatorStmt()))
      return T;
    for (const auto *It = B->rbegin(); It != B->rend(); ++It)
      if (auto CS = It->getAs<CFGStmt>())
        if (const auto *T = dyn_cast<CXXThrowExpr>(CS->getStmt()))
          return T;
    return nullptr;
  }

  /// Whether unwinding from \p At destroys the holder before \p Try's
  /// handlers run (the holder is declared inside the try block).
  bool holderDiesBefore(const CXXTryStmt *Try) {
    return HolderDecl && isWithin(F.parents(), HolderDecl, Try->getTryBlock());
  }

  Outcome leak(LeakPath::ExitKind Kind, const CFGBlock *At, unsigned AtKey,
               const PathState &St, PathStep Final, bool AtStartAgain = false) {
    if (Md == Reach)
      return Leak;
    if (St.Unsure) {
      UnsureLeak = true; // keep looking for a path without a maybe
      return NoLeak;
    }
    Path.Exit = Kind;
    LeakBlock = At;
    buildSteps(At, AtKey, AtStartAgain);
    // The statement that ends At's block is how the path leaves the scope.
    if (const Stmt *T = At->getTerminatorStmt()) {
      PathStep::Kind K = PathStep::Acquire;
      if (isa<BreakStmt>(T))
        K = PathStep::Break;
      else if (isa<ContinueStmt>(T))
        K = PathStep::Continue;
      else if (isa<GotoStmt>(T) || isa<IndirectGotoStmt>(T))
        K = PathStep::Goto;
      else if (isa<CXXThrowExpr>(T) && Kind == LeakPath::AtScopeEnd) {
        K = PathStep::Throw;
        Kind = LeakPath::OnThrow;
      }
      if (K != PathStep::Acquire && Final.K != PathStep::Throw)
        Path.Steps.push_back({K, T, T->getBeginLoc()});
    }
    Path.Exit = Kind;
    Path.Steps.push_back(Final);
    return Leak;
  }

  /// The effect of one statement element: true when the path ends here,
  /// with \p Out.
  bool stmtElement(const CFGBlock *B, unsigned EntryKey, PathState &St,
                   const Stmt *S, bool Again, Outcome &Out) {
    if (S == Q.Acquire) {
      if (Md == Reach) {
        Out = Leak; // reached the target without a ReleasesAll
        return true;
      }
      Out = ((Q.ReportReacquire || Md == FromEntry) && !St.Owner)
                ? leak(LeakPath::OnReacquire, B, EntryKey, St,
                       {PathStep::Reacquire, S, S->getBeginLoc()}, Again)
                : NoLeak;
      return true;
    }
    if (Md == Reach) {
      Out = NoLeak;
      return M.effectOf(S) == ResourceModel::ReleasesAll;
    }
    if (!St.Owner)
      if (const VarDecl *O = M.adopts(S)) {
        Out = NoLeak;
        if (!isAutomaticOwner(O) || Owners.size() >= 255)
          return true; // handed to something we cannot follow: escapes
        Owners.push_back(O);
        St.Owner = Owners.size();
        return false;
      }
    ResourceModel::Effect Eff = M.effectOf(S);
    if (Eff == ResourceModel::Disowns) {
      St.Owner = 0;
      return false;
    }
    if (Eff != ResourceModel::NoEffect) {
      Out = NoLeak; // this path releases or hands the resource off
      return true;
    }
    if (Exceptions && !St.Owner && M.mayThrow(S)) {
      Out = followException(B, EntryKey, St, S, Again);
      return Out != NoLeak;
    }
    return false;
  }

  /// The end of a local's lifetime (destructor or lifetime-end element).
  bool lifetimeEnds(const CFGBlock *B, unsigned EntryKey, const PathState &St,
                    const VarDecl *V, const Stmt *Trigger, bool Again,
                    Outcome &Out) {
    Out = NoLeak;
    if (St.Owner)
      return V == Owners[St.Owner - 1]; // the owner releases it
    if (!Q.Holder || V != Q.Holder)
      return false;
    Out = leak(LeakPath::AtScopeEnd, B, EntryKey, St,
               {PathStep::ScopeEnd, Trigger, scopeEndLoc(Trigger)}, Again);
    return true;
  }

  Outcome processBlock(const Item &It) {
    const CFGBlock *B = It.B;
    PathState St = It.St;
    unsigned EntryKey = St.key();
    bool Again = !It.IsStart && B == StartBlock;
    unsigned Idx = 0;
    for (const CFGElement &E : *B) {
      unsigned I = Idx++;
      if (I < It.From)
        continue;
      if (++Visits > Q.MaxVisits)
        return Budget;
      Outcome Out = NoLeak;
      if (auto CS = E.getAs<CFGStmt>()) {
        if (stmtElement(B, EntryKey, St, CS->getStmt(), Again, Out))
          return Out;
      } else if (auto D = E.getAs<CFGAutomaticObjDtor>()) {
        if (lifetimeEnds(B, EntryKey, St, D->getVarDecl(), D->getTriggerStmt(),
                         Again, Out))
          return Out;
      } else if (auto L = E.getAs<CFGLifetimeEnds>()) {
        if (lifetimeEnds(B, EntryKey, St, L->getVarDecl(), L->getTriggerStmt(),
                         Again, Out))
          return Out;
      }
    }
    if (B->hasNoReturnElement())
      return NoLeak; // exit(), abort(), ...: the process ends here
    if (Again && StartIsTerminator)
      return NoLeak; // back where the search started
    if (B == &F.cfg().getExit()) {
      // FromEntry without a target (heldAtFunctionEnd): the end leaks.
      if ((Md != Lifetime && !(Md == FromEntry && !Q.Acquire)) || St.Owner)
        return NoLeak;
      SourceLocation End;
      if (const auto *CS = dyn_cast_or_null<CompoundStmt>(F.body()))
        End = CS->getRBracLoc();
      return leak(LeakPath::AtFunctionEnd, B, EntryKey, St,
                  {PathStep::FunctionEnd, nullptr, End}, Again);
    }
    // A throw leaving the holder's scope: the unwinder destroys the holder.
    if (const CXXThrowExpr *Throw = Md == Lifetime ? throwIn(B) : nullptr) {
      if (St.Owner)
        return NoLeak; // unwinding runs the owner's destructor
      for (const CFGBlock *Succ : B->succs()) {
        if (!Succ)
          continue;
        const auto *Try =
            dyn_cast_or_null<CXXTryStmt>(Succ->getTerminatorStmt());
        if ((Succ == &F.cfg().getExit() && !Q.EscapingExceptionsTerminate) ||
            (Try && holderDiesBefore(Try)))
          return leak(LeakPath::OnThrow, B, EntryKey, St,
                      {PathStep::Throw, Throw, Throw->getBeginLoc()}, Again);
      }
      // Out of main() or a noexcept function: the process ends there.
      if (Q.EscapingExceptionsTerminate) {
        enqueueSuccessors(B, EntryKey, St, /*SkipExit=*/true);
        return NoLeak;
      }
    }
    enqueueSuccessors(B, EntryKey, St);
    return NoLeak;
  }

  /// A call that may throw while held: into the handlers of an enclosing
  /// try in the holder's scope, or out of the scope (a leak).
  Outcome followException(const CFGBlock *B, unsigned EntryKey,
                          const PathState &St, const Stmt *Call, bool Again) {
    ParentMap &PM = F.parents();
    const Stmt *Child = Call;
    bool CaughtAfterScope = false;
    for (const Stmt *P = PM.getParent(Call); P;
         Child = P, P = PM.getParent(P)) {
      const auto *Try = dyn_cast<CXXTryStmt>(P);
      if (!Try || Child != Try->getTryBlock())
        continue;
      if (holderDiesBefore(Try)) {
        CaughtAfterScope = true;
        break;
      }
      bool CatchAll = false;
      for (unsigned I = 0, N = Try->getNumHandlers(); I < N; ++I) {
        const CXXCatchStmt *H = Try->getHandler(I);
        if (!H->getExceptionDecl())
          CatchAll = true;
        if (const CFGBlock *HB = F.handlerBlock(H))
          enqueue(HB, B, EntryKey, St, Call);
      }
      if (CatchAll)
        return NoLeak;
    }
    // Out of the function: std::terminate anyway in main() or noexcept.
    if (!CaughtAfterScope &&
        (Q.EscapingExceptionsTerminate || Q.EscapingMayThrowTerminate))
      return NoLeak;
    return leak(LeakPath::OnMayThrow, B, EntryKey, St,
                {PathStep::MayThrow, Call, Call->getBeginLoc()}, Again);
  }

  //===-- The path, for notes -------------------------------------------===//

  void addBlockSteps(const CFGBlock *B, unsigned From, unsigned To) {
    unsigned Idx = 0;
    for (const CFGElement &E : *B) {
      unsigned I = Idx++;
      if (I < From || I >= To)
        continue;
      if (auto CS = E.getAs<CFGStmt>()) {
        if (const auto *R = dyn_cast<ReturnStmt>(CS->getStmt()))
          Path.Steps.push_back({PathStep::Return, R, R->getBeginLoc()});
        else if (const auto *T = dyn_cast<CXXThrowExpr>(CS->getStmt()))
          if (Path.Exit != LeakPath::OnThrow || B != LeakBlock)
            Path.Steps.push_back({PathStep::Throw, T, T->getBeginLoc()});
      }
    }
  }

  void addEdgeSteps(const CFGBlock *From, const CFGBlock *To,
                    const Stmt *ViaException) {
    if (ViaException) {
      Path.Steps.push_back(
          {PathStep::MayThrow, ViaException, ViaException->getBeginLoc()});
      if (const Stmt *L = To->getLabel())
        Path.Steps.push_back({PathStep::Handler, L, L->getBeginLoc()});
      return;
    }
    const Stmt *T = From->getTerminatorStmt();
    if (!T)
      return;
    switch (T->getStmtClass()) {
    case Stmt::BreakStmtClass:
      Path.Steps.push_back({PathStep::Break, T, T->getBeginLoc()});
      return;
    case Stmt::ContinueStmtClass:
      Path.Steps.push_back({PathStep::Continue, T, T->getBeginLoc()});
      return;
    case Stmt::GotoStmtClass:
    case Stmt::IndirectGotoStmtClass:
      Path.Steps.push_back({PathStep::Goto, T, T->getBeginLoc()});
      return;
    case Stmt::CXXThrowExprClass:
      Path.Steps.push_back({PathStep::Throw, T, T->getBeginLoc()});
      if (const Stmt *L = To->getLabel())
        if (isa<CXXCatchStmt>(L))
          Path.Steps.push_back({PathStep::Handler, L, L->getBeginLoc()});
      return;
    default:
      break;
    }
    unsigned NSucc = 0, Index = 0, Taken = 0;
    for (const CFGBlock::AdjacentBlock &Succ : From->succs()) {
      if (Succ.getReachableBlock() == To)
        Taken = Index;
      if (Succ.getReachableBlock())
        ++NSucc;
      ++Index;
    }
    if (NSucc < 2)
      return;
    PathStep Step{PathStep::Branch, T, T->getBeginLoc()};
    Step.Successor = Taken;
    if (isa<SwitchStmt>(T))
      Step.Label = To->getLabel();
    Path.Steps.push_back(Step);
  }

  void buildSteps(const CFGBlock *At, unsigned AtKey, bool AtStartAgain) {
    // (block, entry state) from the start to At, in program order.
    llvm::SmallVector<StateKey, 16> Chain;
    StateKey Cur{At, AtKey};
    auto Back = [&](StateKey K) -> StateKey {
      auto It = Seen.find(K);
      return It == Seen.end() ? StateKey{nullptr, 0}
                              : StateKey{It->second.Pred, It->second.PredState};
    };
    if (AtStartAgain) {
      Chain.push_back(Cur);
      Cur = Back(Cur);
    }
    unsigned Guard = 0;
    while (Cur.first && Cur.first != StartBlock && ++Guard < 100000) {
      Chain.push_back(Cur);
      Cur = Back(Cur);
    }
    Chain.push_back({StartBlock, Init.key()});
    std::reverse(Chain.begin(), Chain.end());

    Path.Steps.clear();
    if (Md == Lifetime) // FromEntry: held before the function starts
      Path.Steps.push_back(
          {PathStep::Acquire, Q.Acquire, Q.Acquire->getBeginLoc()});
    for (size_t I = 0; I < Chain.size(); ++I) {
      const CFGBlock *B = Chain[I].first;
      addBlockSteps(B, I == 0 ? StartFrom : 0, B->size());
      if (I + 1 < Chain.size()) {
        auto It = Seen.find(Chain[I + 1]);
        const Stmt *Via = It != Seen.end() ? It->second.ViaException : nullptr;
        addEdgeSteps(B, Chain[I + 1].first, Via);
      }
    }
  }
};

/// Where a query starts: after the acquisition's element, or after the
/// block whose terminator it is.
bool startOf(FunctionCFG &F, const Stmt *S, const CFGBlock *&B, unsigned &From,
             bool &AtTerminator) {
  if (std::optional<ElementRef> Ref = F.locate(S)) {
    B = Ref->Block;
    From = Ref->Index + 1;
    AtTerminator = false;
    return true;
  }
  B = F.blockWithTerminator(S);
  From = B ? B->size() : 0;
  AtTerminator = true;
  return B != nullptr;
}

} // namespace

LifetimeResult analyzeLifetime(FunctionCFG &F, const LifetimeQuery &Q,
                               ResourceModel &Model) {
  LifetimeResult R; // GaveUp
  const CFGBlock *Start = nullptr;
  unsigned From = 0;
  bool AtTerminator = false;
  if (!Q.Acquire || !startOf(F, Q.Acquire, Start, From, AtTerminator))
    return R;
  for (bool Exceptions : {false, true}) {
    if (Exceptions && !Q.AnalyzeExceptionPaths)
      break;
    Search S(F, Q, Model, Exceptions);
    Search::Outcome O = S.run(Start, From, AtTerminator);
    if (O == Search::Budget)
      return R;
    if (O == Search::Leak) {
      R.K = LifetimeResult::Leaked;
      R.Path = std::move(S.Path);
      return R;
    }
    if (S.UnsureLeak)
      return R; // a maybe: stay silent (exception paths are not looked at)
  }
  R.K = LifetimeResult::Released;
  return R;
}

LifetimeResult reachedWhileHeld(FunctionCFG &F, const Stmt *Target,
                                ResourceModel &Model, unsigned MaxVisits) {
  LifetimeResult R; // GaveUp
  if (!Target || !F.locate(Target))
    return R;
  LifetimeQuery Q;
  Q.Acquire = Target;
  Q.MaxVisits = MaxVisits;
  Search S(F, Q, Model, /*Exceptions=*/false, Search::FromEntry);
  Search::Outcome O = S.run(&F.cfg().getEntry(), 0, /*AtTerminator=*/false);
  if (O == Search::Budget || (O == Search::NoLeak && S.UnsureLeak))
    return R;
  if (O == Search::Leak) {
    R.K = LifetimeResult::Leaked;
    R.Path = std::move(S.Path);
    return R;
  }
  R.K = LifetimeResult::Released;
  return R;
}

LifetimeResult heldAtFunctionEnd(FunctionCFG &F, ResourceModel &Model,
                                 unsigned MaxVisits) {
  LifetimeResult R; // GaveUp
  LifetimeQuery Q;  // no Acquire: the function's end is the target
  Q.MaxVisits = MaxVisits;
  Search S(F, Q, Model, /*Exceptions=*/false, Search::FromEntry);
  Search::Outcome O = S.run(&F.cfg().getEntry(), 0, /*AtTerminator=*/false);
  if (O == Search::Budget || (O == Search::NoLeak && S.UnsureLeak))
    return R;
  R.K = O == Search::Leak ? LifetimeResult::Leaked : LifetimeResult::Released;
  if (O == Search::Leak)
    R.Path = std::move(S.Path);
  return R;
}

ReleasedBefore releasedBeforeEveryPath(FunctionCFG &F, const Stmt *Target,
                                       ResourceModel &Model,
                                       unsigned MaxVisits) {
  if (!Target || !F.locate(Target))
    return ReleasedBefore::GaveUp;
  LifetimeQuery Q;
  Q.Acquire = Target;
  Q.MaxVisits = MaxVisits;
  Search S(F, Q, Model, /*Exceptions=*/false, Search::Reach);
  switch (S.run(&F.cfg().getEntry(), 0, /*AtTerminator=*/false)) {
  case Search::NoLeak:
    return ReleasedBefore::Always;
  case Search::Leak:
    return ReleasedBefore::NotAlways;
  case Search::Budget:
    break;
  }
  return ReleasedBefore::GaveUp;
}

std::string describeStep(const PathStep &Step) {
  switch (Step.K) {
  case PathStep::Acquire:
    return "acquired here";
  case PathStep::Branch: {
    const Stmt *T = Step.S;
    if (isa<SwitchStmt>(T)) {
      if (Step.Label && isa<DefaultStmt>(Step.Label))
        return "taking the default case";
      return Step.Label ? "taking this case" : "no case matches";
    }
    bool Loop = isa<WhileStmt>(T) || isa<ForStmt>(T) || isa<DoStmt>(T) ||
                isa<CXXForRangeStmt>(T);
    if (Loop)
      return Step.Successor == 0 ? "entering the loop" : "the loop exits";
    return Step.Successor == 0 ? "taking the true branch"
                               : "taking the false branch";
  }
  case PathStep::Return:
    return "returns here";
  case PathStep::Break:
    return "breaks out here";
  case PathStep::Continue:
    return "continues here";
  case PathStep::Goto:
    return "jumps away here";
  case PathStep::Throw:
    return "throws here";
  case PathStep::MayThrow:
    return "this call may throw";
  case PathStep::Handler:
    return "the exception is caught here";
  case PathStep::ScopeEnd:
    return "scope ends here";
  case PathStep::FunctionEnd:
    return "function ends here";
  case PathStep::Reacquire:
    return "acquired again here";
  }
  return "here";
}

} // namespace leaklib
} // namespace clang
