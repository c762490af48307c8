//===--- ThreadGuards.cpp - leak-tidy -------------------------------------===//
//
// Form 4 of leak-unjoined-thread, a teardown guarded by a flag:
// `if (running_) { running_ = false; t_.join(); }` in the destructor (or in
// the stop() trusted to join) skips the join whenever the flag is clear, and
// the flag can be clear while the thread is still joinable when
//  - the worker clears it itself (on leaving its loop, on an error), or
//  - a start returns after starting the thread but before setting it (a
//    failing start(): the lifetime engine finds that path).
// Whether the teardown can skip the join is the engine's heldAtFunctionEnd,
// with TeardownModel saying what joins and which branches are followed:
// branches on such a flag are, branches on other state of the object are
// unsure (a guard we cannot judge keeps the check silent).
//
//===----------------------------------------------------------------------===//
#include "lib/core/AstHelpers.h"
#include "lib/core/FunctionCFG.h"
#include "lib/core/VarUses.h"
#include "lib/thread/ThreadBody.h"
#include "lib/thread/ThreadMembers.h"
#include "lib/thread/ThreadPaths.h"
#include "clang/AST/ASTContext.h"
#include "clang/AST/DeclCXX.h"
#include "clang/AST/DeclTemplate.h"
#include "clang/AST/ExprCXX.h"
#include "clang/Basic/SourceManager.h"

namespace clang {
namespace leaklib {

namespace {

/// The flag member of \p RD that \p E names through `this`, or null.
const FieldDecl *flagOf(const Expr *E, const CXXRecordDecl *RD) {
  const auto *ME =
      dyn_cast_or_null<MemberExpr>(E ? E->IgnoreParenImpCasts() : nullptr);
  if (!ME || !isa<CXXThisExpr>(ME->getBase()->IgnoreParenImpCasts()))
    return nullptr;
  const auto *F = dyn_cast<FieldDecl>(ME->getMemberDecl());
  return F && F->getParent() == RD && isFlagType(F->getType()) ? F : nullptr;
}

/// \p S writes a flag of \p RD (`f = v`, `f.store(v)`, `f.exchange(v)`):
/// the flag, and the value when it is a constant.
struct FlagWrite {
  const FieldDecl *Flag = nullptr;
  std::optional<bool> Value;
};
FlagWrite flagWrite(const Stmt *S, const CXXRecordDecl *RD) {
  const Expr *Target = nullptr, *Value = nullptr;
  if (const auto *BO = dyn_cast<BinaryOperator>(S)) {
    if (BO->getOpcode() == BO_Assign) {
      Target = BO->getLHS();
      Value = BO->getRHS();
    }
  } else if (const auto *OC = dyn_cast<CXXOperatorCallExpr>(S)) {
    if (OC->getOperator() == OO_Equal && OC->getNumArgs() == 2) {
      Target = OC->getArg(0);
      Value = OC->getArg(1);
    }
  } else if (const auto *MC = dyn_cast<CXXMemberCallExpr>(S)) {
    StringRef N = calleeName(MC);
    if ((N == "store" || N == "exchange") && MC->getNumArgs() >= 1) {
      Target = MC->getImplicitObjectArgument();
      Value = MC->getArg(0);
    }
  }
  FlagWrite W;
  W.Flag = flagOf(Target, RD);
  bool B = false;
  if (W.Flag && !Value->isValueDependent() &&
      Value->EvaluateAsBooleanCondition(B, RD->getASTContext()))
    W.Value = B;
  return W;
}

/// The flag \p Cond tests and the flag's value that makes \p Cond true:
/// `f`, `!f`, `f.load()`, `f.exchange(v)`, `f == true`, `f != false`.
std::optional<std::pair<const FieldDecl *, bool>>
flagTest(const Expr *Cond, const CXXRecordDecl *RD) {
  bool Value = true;
  for (unsigned Depth = 0; Cond && Depth < 8; ++Depth) {
    Cond = Cond->IgnoreParenImpCasts();
    if (const FieldDecl *F = flagOf(Cond, RD))
      return std::make_pair(F, Value);
    if (const auto *UO = dyn_cast<UnaryOperator>(Cond)) {
      if (UO->getOpcode() != UO_LNot)
        return std::nullopt;
      Value = !Value;
      Cond = UO->getSubExpr();
    } else if (const auto *MC = dyn_cast<CXXMemberCallExpr>(Cond)) {
      StringRef N = calleeName(MC);
      if (!isa_and_nonnull<CXXConversionDecl>(MC->getMethodDecl()) &&
          N != "load" && N != "exchange")
        return std::nullopt;
      Cond = MC->getImplicitObjectArgument();
    } else if (const auto *BO = dyn_cast<BinaryOperator>(Cond)) {
      bool K = false;
      const Expr *Other = nullptr;
      if (!BO->isEqualityOp())
        return std::nullopt;
      if (!BO->getRHS()->isValueDependent() &&
          BO->getRHS()->EvaluateAsBooleanCondition(K, RD->getASTContext()))
        Other = BO->getLHS();
      else if (!BO->getLHS()->isValueDependent() &&
               BO->getLHS()->EvaluateAsBooleanCondition(K, RD->getASTContext()))
        Other = BO->getRHS();
      if (!Other)
        return std::nullopt;
      // f == K is true when f is K; f != K when f is !K.
      Value = Value == ((BO->getOpcode() == BO_EQ) == K);
      Cond = Other;
    } else {
      return std::nullopt;
    }
  }
  return std::nullopt;
}

bool callsOnThis(const CXXMemberCallExpr *MC) {
  const Expr *Obj = MC->getImplicitObjectArgument();
  return Obj && isa<CXXThisExpr>(Obj->IgnoreParenImpCasts());
}

/// The body of a method of the class called on `this` by \p S, when we see
/// it and no override can replace it.
const FunctionDecl *thisCallee(const Stmt *S) {
  const auto *MC = dyn_cast<CXXMemberCallExpr>(S);
  if (!MC || !callsOnThis(MC) || !MC->getMethodDecl() ||
      MC->getMethodDecl()->isVirtual())
    return nullptr;
  const FunctionDecl *Def = nullptr;
  return MC->getMethodDecl()->hasBody(Def) ? Def : nullptr;
}

/// Why a flag can hold Value while the thread is joinable: the worker
/// writes it, or a start (In) returns without setting it (Value false).
struct ClearFlag {
  const FieldDecl *Flag = nullptr;
  SourceLocation At;
  const FunctionDecl *In = nullptr; ///< the start that skips setting it
  bool ByWorker = false;
  bool Value = false;
};

/// Constant writes to a flag of \p RD in \p Body and in the class's methods
/// it calls on `this`, a few calls deep: the first one per flag and value.
void workerClears(const Stmt *Body, const CXXRecordDecl *RD, unsigned Depth,
                  llvm::SmallVectorImpl<ClearFlag> &Out) {
  if (!Body || Depth > 3)
    return;
  forEachStmt(
      Body,
      [&](const Stmt *S) {
        FlagWrite W = flagWrite(S, RD);
        if (W.Flag && W.Value && llvm::none_of(Out, [&](const ClearFlag &C) {
              return C.Flag == W.Flag && C.Value == *W.Value;
            }))
          Out.push_back({W.Flag, S->getBeginLoc(), nullptr, true, *W.Value});
        if (const FunctionDecl *Callee = thisCallee(S))
          workerClears(Callee->getBody(), RD, Depth + 1, Out);
        return Walk::Continue;
      },
      LambdaPolicy::Enter);
}

/// Whether \p Def (or a method it calls on `this`) may set \p Flag: a write
/// of true or of a value we cannot read.
bool maySetFlag(const FunctionDecl *Def, const FieldDecl *Flag,
                const CXXRecordDecl *RD, unsigned Depth) {
  if (!Def || !Def->getBody() || Depth > 3)
    return true;
  return anyStmt(
      Def->getBody(),
      [&](const Stmt *S) {
        FlagWrite W = flagWrite(S, RD);
        if (W.Flag == Flag && W.Value != false)
          return true;
        const FunctionDecl *Callee = thisCallee(S);
        return Callee && maySetFlag(Callee, Flag, RD, Depth + 1);
      },
      LambdaPolicy::Enter);
}

/// After a start: the path is done when the flag may be set, when the
/// member is joined, detached or tested, or when a method of the class
/// that may do either is called (or one we cannot see).
class StartModel : public ResourceModel {
public:
  StartModel(const CXXRecordDecl *RD, const MemberFacts &M,
             const FieldDecl *Flag, const ThreadApi &Api)
      : RD(RD), M(M), Flag(Flag), Api(Api) {}
  Effect effectOf(const Stmt *S) override {
    FlagWrite W = flagWrite(S, RD);
    if ((W.Flag == Flag && W.Value != false) || releasesMember(S, M, Api))
      return Releases;
    const auto *MC = dyn_cast<CXXMemberCallExpr>(S);
    if (!MC || !callsOnThis(MC))
      return NoEffect;
    const FunctionDecl *Callee = thisCallee(S);
    llvm::DenseSet<const FunctionDecl *> Seen;
    if (!Callee || maySetFlag(Callee, Flag, RD, 1) ||
        reachesJoin(Callee, M, RD, 1, Seen))
      return Releases;
    return NoEffect;
  }

private:
  const CXXRecordDecl *RD;
  const MemberFacts &M;
  const FieldDecl *Flag;
  const ThreadApi &Api;
};

/// Flags a start in \p Def (\p Site, a move-assignment of a new thread)
/// sets after starting, with a path from the start to the end of \p Def
/// that never sets it (a start that fails half-way). A flag also set
/// before the start is left alone.
void startSkips(const Stmt *Site, const FunctionDecl *Def,
                const CXXRecordDecl *RD, const MemberFacts &M,
                const ThreadApi &Api, llvm::SmallVectorImpl<ClearFlag> &Out) {
  const SourceManager &SM = Def->getASTContext().getSourceManager();
  llvm::SmallVector<const FieldDecl *, 2> After, Before;
  forEachStmt(
      Def->getBody(),
      [&](const Stmt *S) {
        FlagWrite W = flagWrite(S, RD);
        if (W.Flag && W.Value != false)
          (SM.isBeforeInTranslationUnit(Site->getBeginLoc(), S->getBeginLoc())
               ? After
               : Before)
              .push_back(W.Flag);
        return Walk::Continue;
      },
      LambdaPolicy::Skip);
  FunctionCFG *CFG =
      FunctionCFG::get(Def, Def->getBody(), Def->getASTContext());
  if (!CFG)
    return;
  for (const FieldDecl *Flag : After) {
    if (llvm::is_contained(Before, Flag) ||
        llvm::any_of(Out, [&](const ClearFlag &C) { return C.Flag == Flag; }))
      continue;
    StartModel Model(RD, M, Flag, Api);
    LifetimeQuery Q;
    Q.Acquire = Site;
    Q.ReportReacquire = false;
    Q.MaxVisits = 50000;
    LifetimeResult R = analyzeLifetime(*CFG, Q, Model);
    if (!R.leaked() || R.Path->Exit != LeakPath::AtFunctionEnd)
      continue;
    const PathStep *Leave = R.Path->leavingStep();
    Out.push_back(
        {Flag, Leave ? Leave->Loc : Site->getBeginLoc(), Def, false, false});
  }
}

/// A path through a teardown that skips the join on a clear flag.
struct GuardSkip {
  LeakPath Path;
  const FunctionDecl *In = nullptr;
  const ClearFlag *Why = nullptr;
  const Stmt *Guard = nullptr;
};

class GuardSearch;

/// The teardown's statements: what joins the member (itself, or a method
/// of the class that joins it on every path), and which branches are
/// followed (on a flag that can be clear, or on nothing of the object).
class TeardownModel : public ResourceModel {
public:
  TeardownModel(GuardSearch &G, const FunctionDecl *Def, unsigned Depth)
      : G(G), Def(Def), Depth(Depth) {}
  Effect effectOf(const Stmt *S) override;
  EdgeVerdict edgeVerdict(const BranchEdge &E) override;
  std::optional<GuardSkip> Inner; ///< a callee that skips the join

private:
  GuardSearch &G;
  const FunctionDecl *Def;
  unsigned Depth;
};

class GuardSearch {
public:
  GuardSearch(const CXXRecordDecl *RD, const MemberFacts &M,
              const ThreadApi &Api, llvm::ArrayRef<ClearFlag> Flags)
      : RD(RD), M(M), Api(Api), Flags(Flags) {}

  /// Why \p F can hold \p Value (any value when none) while the thread is
  /// joinable, or null.
  const ClearFlag *clearable(const FieldDecl *F,
                             std::optional<bool> Value = std::nullopt) const {
    for (const ClearFlag &C : Flags)
      if (C.Flag == F && (!Value || C.Value == *Value))
        return &C;
    return nullptr;
  }

  /// A path from \p Def's entry to its end that skips the join on a
  /// clear flag (in \p Def, or in a method it calls).
  std::optional<GuardSkip> skip(const FunctionDecl *Def, unsigned Depth) {
    FunctionCFG *CFG =
        FunctionCFG::get(Def, Def->getBody(), Def->getASTContext());
    if (!CFG || Depth > 3)
      return std::nullopt;
    TeardownModel Model(*this, Def, Depth);
    LifetimeResult R = heldAtFunctionEnd(*CFG, Model, 50000);
    if (!R.leaked())
      return std::nullopt;
    for (const PathStep &S : R.Path->Steps) {
      if (S.K != PathStep::Branch || S.Successor > 1)
        continue;
      auto T = flagTest(dyn_cast_or_null<Expr>(branchCondition(S.S)), RD);
      // The flag's value on the edge taken: one it can hold while joinable.
      const ClearFlag *Why =
          T ? clearable(T->first, T->second == (S.Successor == 0)) : nullptr;
      if (Why)
        return GuardSkip{*R.Path, Def, Why, S.S};
    }
    return std::move(Model.Inner);
  }

  const CXXRecordDecl *RD;
  const MemberFacts &M;
  const ThreadApi &Api;
  llvm::ArrayRef<ClearFlag> Flags;
};

ResourceModel::Effect TeardownModel::effectOf(const Stmt *S) {
  if (releasesMember(S, G.M, G.Api))
    return Releases;
  const auto *MC = dyn_cast<CXXMemberCallExpr>(S);
  if (!MC || !callsOnThis(MC))
    return NoEffect;
  const FunctionDecl *Callee = thisCallee(S);
  if (!Callee)
    return Releases; // defined elsewhere, or an override: it may join
  llvm::DenseSet<const FunctionDecl *> Seen{Def};
  if (!reachesJoin(Callee, G.M, G.RD, 1, Seen))
    return NoEffect;
  if (std::optional<GuardSkip> Skip = G.skip(Callee, Depth + 1)) {
    if (!Inner)
      Inner = std::move(Skip);
    return NoEffect;
  }
  return Releases;
}

EdgeVerdict TeardownModel::edgeVerdict(const BranchEdge &E) {
  bool Other = false, Flag = false;
  anyStmt(
      E.Condition,
      [&](const Stmt *S) {
        if (const auto *ME = dyn_cast<MemberExpr>(S))
          if (isa<CXXThisExpr>(ME->getBase()->IgnoreParenImpCasts()) &&
              !isa<CXXMethodDecl>(ME->getMemberDecl())) {
            bool Clearable =
                G.clearable(dyn_cast<FieldDecl>(ME->getMemberDecl()));
            (Clearable ? Flag : Other) = true;
          }
        if (const auto *MC = dyn_cast<CXXMemberCallExpr>(S))
          Other = Other || callsOnThis(MC);
        if (const auto *DRE = dyn_cast<DeclRefExpr>(S))
          Other = Other || isa<ParmVarDecl>(DRE->getDecl());
        return false;
      },
      LambdaPolicy::Skip);
  if (Other || (Flag && !flagTest(E.Condition, G.RD)))
    return EdgeVerdict::Unsure; // state we cannot follow
  return EdgeVerdict::Follow;
}

} // namespace

void guardedTeardownFindings(const CXXRecordDecl *RD, const MemberFacts &M,
                             const FunctionDecl *Teardown, const ThreadApi &Api,
                             ThreadFindings &Out) {
  if (!Teardown || !Teardown->getBody() || M.IsContainer ||
      M.Holder != MemberHolder::Object)
    return;
  llvm::SmallVector<ClearFlag, 2> Flags;
  for (const Expr *E : M.StartExprs)
    if (const CXXConstructExpr *Start = threadStart(E, Api))
      if (Start->getNumArgs())
        workerClears(callableBody(Start->getArg(0)), RD, 0, Flags);
  for (const auto &[Site, Def] : M.Reassigns)
    if (Site && Def->getBody())
      startSkips(Site, Def, RD, M, Api, Flags);
  if (Flags.empty())
    return;
  GuardSearch G(RD, M, Api, Flags);
  std::optional<GuardSkip> Skip = G.skip(Teardown, 0);
  if (!Skip)
    return;
  ThreadFinding R;
  R.Kind = ThreadLeak::MemberGuardedJoin;
  R.Loc = Skip->Guard->getBeginLoc();
  R.Thread = M.Field;
  R.Terminates = true;
  R.Record = RD;
  R.Started = M.FirstStart;
  R.StartedIn = M.FirstStartIn;
  R.Path = std::move(Skip->Path);
  R.Guard = Skip->Why->Flag;
  R.GuardIn = Skip->In;
  R.FlagClearedAt = Skip->Why->At;
  R.FlagClearedIn = Skip->Why->In;
  R.FlagClearedByWorker = Skip->Why->ByWorker;
  R.FlagValue = Skip->Why->Value;
  Out.push_back(std::move(R));
}

} // namespace leaklib
} // namespace clang
