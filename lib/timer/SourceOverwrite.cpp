//===--- SourceOverwrite.cpp - leak-tidy ----------------------------------===//
//
// leak-unstopped-ticker, a GLib source id kept in a struct or class member
// (`self->timeout_id = g_timeout_add(...)`) -- or a QObject::startTimer id,
// or a configured PeriodicTimerIdFunctions id -- and overwritten by a function
// that may run while the source another function added is still active:
// that source's id is lost, and a callback that never returns FALSE keeps
// it running for the rest of the process. The member is held when the
// function starts (another function armed it first); the lifetime engine's
// reachedWhileHeld finds a path from the entry to the new g_timeout_add on
// which nothing removes the old one (SourceHeldModel).
//
//===----------------------------------------------------------------------===//
#include "lib/core/AstHelpers.h"
#include "lib/core/FunctionCFG.h"
#include "lib/core/VarUses.h"
#include "lib/timer/TickerFacts.h"
#include "clang/AST/ASTContext.h"
#include "clang/AST/DeclCXX.h"
#include "clang/AST/ExprCXX.h"
#include "clang/Basic/SourceManager.h"
#include "llvm/ADT/DenseSet.h"

namespace clang {
namespace leaklib {

namespace {

/// \p E names the holder \p F: a member (`self->id`) or a global (`g_id`).
bool namesField(const Expr *E, const ValueDecl *F) {
  const Expr *S = E ? E->IgnoreParenImpCasts() : nullptr;
  if (const auto *ME = dyn_cast_or_null<MemberExpr>(S))
    return ME->getMemberDecl() == F;
  const auto *DRE = dyn_cast_or_null<DeclRefExpr>(S);
  return DRE && DRE->getDecl() == F;
}

/// A variable of static storage duration that is not a function's own.
bool isGlobalVar(const Decl *D) {
  const auto *VD = dyn_cast_or_null<VarDecl>(D);
  return VD && VD->hasGlobalStorage() && !VD->isLocalVarDecl();
}

/// A call that arms a timer of \p FW and returns its id (g_timeout_add,
/// QObject::startTimer, a configured TimerIdFunctions arm).
bool isIdAdd(const Expr *E, const TimerModel &Model, TimerFramework FW) {
  const auto *CE =
      dyn_cast_or_null<CallExpr>(E ? E->IgnoreParenImpCasts() : nullptr);
  if (!CE)
    return false;
  TimerCall TC = Model.classify(CE);
  return TC.Role == TimerRole::CreateAndArm && TC.ReturnsId &&
         TC.Framework == FW;
}

/// `Id = g_timeout_add(...)` in \p Body (or \p Ctor's initializers): where.
SourceLocation armsIn(const FunctionDecl *Def, const ValueDecl *Id,
                      const TimerModel &Model, TimerFramework FW) {
  if (const auto *Ctor = dyn_cast<CXXConstructorDecl>(Def))
    for (const CXXCtorInitializer *I : Ctor->inits())
      if (I->getMember() == Id && isIdAdd(I->getInit(), Model, FW))
        return I->getSourceLocation();
  SourceLocation At;
  anyStmt(
      Def->getBody(),
      [&](const Stmt *S) {
        const auto *BO = dyn_cast<BinaryOperator>(S);
        if (BO && BO->getOpcode() == BO_Assign &&
            namesField(BO->getLHS(), Id) && isIdAdd(BO->getRHS(), Model, FW))
          At = BO->getBeginLoc();
        return At.isValid();
      },
      LambdaPolicy::Skip);
  return At;
}

/// The functions of the translation unit with a body, in source order
/// (namespaces, classes and their methods included).
void collectFunctions(const DeclContext *DC,
                      llvm::SmallVectorImpl<const FunctionDecl *> &Out) {
  for (const Decl *D : DC->decls()) {
    if (const auto *FD = dyn_cast<FunctionDecl>(D)) {
      if (FD->doesThisDeclarationHaveABody() && !FD->isDependentContext())
        Out.push_back(FD);
    } else if (const auto *Inner = dyn_cast<DeclContext>(D)) {
      if (isa<NamespaceDecl, CXXRecordDecl, LinkageSpecDecl>(D))
        collectFunctions(Inner, Out);
    }
  }
}

/// Whether \p Body (or a function of the TU it calls, a few calls deep)
/// removes a source through the member \p Id, or calls a function we cannot
/// see that is given something (it may remove it).
/// The framework of the id (GLib, QtObject, User) and what is followed.
struct IdKind {
  const ValueDecl *Id;
  TimerFramework FW;
};

bool removesSource(const Stmt *Body, IdKind K, const TimerModel &Model,
                   unsigned Depth, llvm::DenseSet<const FunctionDecl *> &Seen);

bool callRemoves(const CallExpr *CE, IdKind K, const TimerModel &Model,
                 unsigned Depth, llvm::DenseSet<const FunctionDecl *> &Seen) {
  const ValueDecl *Id = K.Id;
  TimerCall TC = Model.classify(CE);
  if (TC.Framework == K.FW && TC.Role == TimerRole::Destroy)
    return CE->getNumArgs() == 0 || namesField(CE->getArg(0), Id) ||
           calleeName(CE).starts_with("g_source_remove_by");
  if (TC.ReturnsId)
    return false; // arming another timer removes nothing
  const FunctionDecl *Callee = CE->getDirectCallee();
  if (!Callee || TC.Framework == TimerFramework::GLib ||
      calleeName(CE).starts_with("g_"))
    return !Callee; // GLib's own functions remove nothing else
  // Qt's (or any library's) own functions do not know the member: only
  // killTimer / the configured cancel stops the timer.
  if (K.FW != TimerFramework::GLib &&
      Callee->getASTContext().getSourceManager().isInSystemHeader(
          Callee->getLocation()))
    return false;
  const FunctionDecl *Def = nullptr;
  bool Virtual =
      isa<CXXMethodDecl>(Callee) && cast<CXXMethodDecl>(Callee)->isVirtual();
  if (!Callee->hasBody(Def) || Virtual) {
    // It may remove the source when it is given the object that holds it.
    if (isa<CXXMemberCallExpr>(CE))
      return true;
    for (const Expr *A : CE->arguments()) {
      QualType T = A->IgnoreParenImpCasts()->getType();
      if (T->isPointerType())
        T = T->getPointeeType();
      if (T->isRecordType())
        return true;
    }
    return false;
  }
  if (Depth > 3 || !Seen.insert(Def).second)
    return false;
  return removesSource(Def->getBody(), K, Model, Depth + 1, Seen);
}

bool removesSource(const Stmt *Body, IdKind K, const TimerModel &Model,
                   unsigned Depth, llvm::DenseSet<const FunctionDecl *> &Seen) {
  return anyStmt(
      Body,
      [&](const Stmt *S) {
        const auto *CE = dyn_cast<CallExpr>(S);
        return CE && callRemoves(CE, K, Model, Depth, Seen);
      },
      LambdaPolicy::Enter);
}

/// The member holds an active source at the function's entry: a call that
/// removes it (g_source_remove(self->id), a helper that does, a function
/// we cannot see) or a store of anything else into it ends the path; a
/// branch on a member or a call (`if (self->id) return;`) is Unsure.
class SourceHeldModel : public ResourceModel {
protected:
public:
  SourceHeldModel(IdKind K, const FunctionDecl *Def, const TimerModel &Model)
      : K(K), Def(Def), Model(Model) {}
  Effect effectOf(const Stmt *S) override {
    if (const auto *CE = dyn_cast<CallExpr>(S)) {
      llvm::DenseSet<const FunctionDecl *> Seen{Def};
      return callRemoves(CE, K, Model, 1, Seen) ? Releases : NoEffect;
    }
    const auto *BO = dyn_cast<BinaryOperator>(S);
    if (BO && BO->isAssignmentOp() && namesField(BO->getLHS(), K.Id) &&
        !isIdAdd(BO->getRHS(), Model, K.FW))
      return Releases; // self->id = 0: cleared by someone who knows
    return NoEffect;
  }
  EdgeVerdict edgeVerdict(const BranchEdge &E) override {
    bool ReadsState =
        E.Condition && anyStmt(
                           E.Condition,
                           [](const Stmt *S) {
                             const auto *DRE = dyn_cast<DeclRefExpr>(S);
                             return isa<MemberExpr>(S) || isa<CallExpr>(S) ||
                                    (DRE && isGlobalVar(DRE->getDecl()));
                           },
                           LambdaPolicy::Skip);
    return ReadsState ? EdgeVerdict::Unsure : EdgeVerdict::Follow;
  }

protected:
  IdKind K;
  const FunctionDecl *Def;
  const TimerModel &Model;
};

/// A start that fails half-way: the source is held from its add on; a
/// `return` of anything but an error constant hands it to the caller (the
/// start succeeded), and every branch is followed.
class SourceArmedModel : public SourceHeldModel {
public:
  SourceArmedModel(IdKind K, const FunctionDecl *Def, const TimerModel &Model,
                   llvm::APSInt Success)
      : SourceHeldModel(K, Def, Model), Success(Success) {}
  Effect effectOf(const Stmt *S) override {
    if (const auto *R = dyn_cast<ReturnStmt>(S))
      return errorValue(R) ? NoEffect : Escapes;
    return SourceHeldModel::effectOf(S);
  }
  EdgeVerdict edgeVerdict(const BranchEdge &) override {
    return EdgeVerdict::Follow;
  }
  bool mayThrow(const Stmt *) override { return false; }
  /// `return -1;` / `return FALSE;` when the last return says `return 0;` /
  /// `return TRUE;`: a constant other than the success one.
  bool errorValue(const ReturnStmt *R) const {
    std::optional<llvm::APSInt> V = constantOf(R, Def->getASTContext());
    return V && llvm::APSInt::compareValues(*V, Success) != 0;
  }
  static std::optional<llvm::APSInt> constantOf(const ReturnStmt *R,
                                                const ASTContext &Ctx) {
    const Expr *E = R ? R->getRetValue() : nullptr;
    Expr::EvalResult Res;
    if (!E || E->isValueDependent() || !E->EvaluateAsInt(Res, Ctx))
      return std::nullopt;
    return Res.Val.getInt();
  }

private:
  llvm::APSInt Success;
};

} // namespace

std::optional<LeakPath> sourceLeftOnError(const CallExpr *Add,
                                          const FunctionDecl *FD,
                                          const ValueDecl *Id,
                                          const TimerModel &Model) {
  if (!FD || !FD->getBody() || FD->getReturnType()->isVoidType() ||
      (!isa<FieldDecl>(Id) && !isGlobalVar(Id)))
    return std::nullopt;
  // A C++ object whose destructor runs whether start() failed or not is
  // the source's owner: only plain structs and globals are followed.
  if (const auto *RD = dyn_cast<CXXRecordDecl>(Id->getDeclContext());
      RD && RD->hasUserDeclaredDestructor())
    return std::nullopt;
  // The success value: the function's last return, a constant.
  const ReturnStmt *LastRet = nullptr;
  anyStmt(
      FD->getBody(),
      [&](const Stmt *S) {
        if (const auto *R = dyn_cast<ReturnStmt>(S))
          LastRet = R;
        return false;
      },
      LambdaPolicy::Skip);
  ASTContext &Ctx = FD->getASTContext();
  std::optional<llvm::APSInt> Success =
      SourceArmedModel::constantOf(LastRet, Ctx);
  FunctionCFG *CFG =
      Success ? FunctionCFG::get(FD, FD->getBody(), Ctx) : nullptr;
  if (!CFG)
    return std::nullopt;
  IdKind K{Id, Model.classify(Add).Framework};
  SourceArmedModel M(K, FD, Model, *Success);
  LifetimeQuery Q;
  Q.Acquire = Add;
  Q.ReportReacquire = false;
  Q.MaxVisits = 50000;
  LifetimeResult R = analyzeLifetime(*CFG, Q, M);
  if (!R.leaked())
    return std::nullopt;
  const PathStep *Leave = R.Path->leavingStep();
  const auto *Ret = Leave && Leave->K == PathStep::Return
                        ? dyn_cast<ReturnStmt>(Leave->S)
                        : nullptr;
  if (!Ret || Ret == LastRet || !M.errorValue(Ret))
    return std::nullopt;
  return std::move(R.Path);
}

std::optional<LeakPath> sourceOverwritten(const CallExpr *Add,
                                          const FunctionDecl *FD,
                                          const ValueDecl *Id,
                                          const TimerModel &Model,
                                          SourceLocation &ArmedAt) {
  if (!isa<FieldDecl>(Id) && !isGlobalVar(Id))
    return std::nullopt;
  if (!FD || !FD->getBody() || isa<CXXConstructorDecl>(FD))
    return std::nullopt;
  IdKind K{Id, Model.classify(Add).Framework};
  // The first function that arms the member: a constructor's, or the
  // first in source order. Only another function's source may be active
  // when this one starts.
  ASTContext &Ctx = FD->getASTContext();
  llvm::SmallVector<const FunctionDecl *, 64> Fns;
  collectFunctions(Ctx.getTranslationUnitDecl(), Fns);
  const FunctionDecl *First = nullptr;
  for (const FunctionDecl *Fn : Fns) {
    SourceLocation At = armsIn(Fn, Id, Model, K.FW);
    if (At.isInvalid() || (First && !isa<CXXConstructorDecl>(Fn)))
      continue;
    if (!First || !isa<CXXConstructorDecl>(First)) {
      First = Fn;
      ArmedAt = At;
    }
  }
  if (!First || First->getCanonicalDecl() == FD->getCanonicalDecl())
    return std::nullopt;
  FunctionCFG *CFG = FunctionCFG::get(FD, FD->getBody(), Ctx);
  if (!CFG)
    return std::nullopt;
  SourceHeldModel M(K, FD, Model);
  LifetimeResult R = reachedWhileHeld(*CFG, Add, M, 50000);
  if (!R.leaked())
    return std::nullopt;
  return std::move(R.Path);
}

} // namespace leaklib
} // namespace clang
