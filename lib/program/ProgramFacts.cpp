//===--- ProgramFacts.cpp - leak-tidy -------------------------------------===//
#include "lib/program/ProgramFacts.h"
#include "lib/core/AstHelpers.h"
#include "lib/core/LoopFacts.h"
#include "lib/core/ParentIndex.h"
#include "lib/core/PerContext.h"
#include "lib/core/UserCodeVisitor.h"
#include "clang/AST/ASTContext.h"
#include "clang/AST/DeclCXX.h"
#include "clang/AST/ExprCXX.h"
#include "clang/AST/StmtCXX.h"
#include "clang/Basic/SourceManager.h"

namespace clang {
namespace leaklib {

namespace {
/// How deep the call-graph questions follow callers or callees.
constexpr unsigned MaxDepth = 6;

const FunctionDecl *canon(const FunctionDecl *FD) {
  return FD ? FD->getCanonicalDecl() : nullptr;
}

/// Test bodies that a test framework runs inside its own try block:
/// GoogleTest's TestBody(), Catch2's and doctest's generated functions.
bool isTestBody(const FunctionDecl *FD) {
  if (!FD->getIdentifier())
    return false;
  llvm::StringRef N = FD->getName();
  if (N.contains("C_A_T_C_H_T_E_S_T") || N.contains("CATCH2_INTERNAL_TEST") ||
      N.contains("DOCTEST_ANON_FUNC"))
    return true;
  const auto *MD = dyn_cast<CXXMethodDecl>(FD);
  if (!MD || N != "TestBody" || !MD->getParent()->hasDefinition())
    return false;
  bool FromGTest = false;
  MD->getParent()->forallBases([&](const CXXRecordDecl *B) {
    if (B->getQualifiedNameAsString() == "testing::Test")
      FromGTest = true;
    return true;
  });
  return FromGTest;
}

/// Event loops that return only when asked to (and what asks them).
bool isGLibLoopRun(const FunctionDecl *FD) {
  return FD->getIdentifier() && FD->getName() == "g_main_loop_run";
}

/// Library calls that run an event loop: main() calling one does not end
/// soon.
bool runsEventLoop(const FunctionDecl *FD) {
  if (!FD->getIdentifier())
    return false;
  llvm::StringRef N = FD->getName();
  if (N == "g_main_loop_run" || N == "uv_run" || N == "event_base_dispatch" ||
      N == "event_base_loop" || N == "gtk_main" || N == "g_application_run")
    return true;
  const auto *MD = dyn_cast<CXXMethodDecl>(FD);
  if (!MD)
    return false;
  std::string Q = MD->getParent()->getQualifiedNameAsString();
  return (N == "exec" && llvm::StringRef(Q).contains("Application")) ||
         (N == "run" && (llvm::StringRef(Q).contains("io_context") ||
                         llvm::StringRef(Q).contains("io_service")));
}

const FunctionDecl *calleeOf(const Stmt *S) {
  if (const auto *CE = dyn_cast<CallExpr>(S))
    return CE->getDirectCallee();
  if (const auto *CCE = dyn_cast<CXXConstructExpr>(S))
    return CCE->getConstructor();
  return nullptr;
}
} // namespace

/// Records every call in user code: callee -> (caller, inside a try?), the
/// functions whose address is taken, and whether a GLib main loop is quit.
class CallGraphCollector : public UserCodeVisitor<CallGraphCollector> {
  using Base = UserCodeVisitor<CallGraphCollector>;

public:
  CallGraphCollector(ASTContext &Ctx, ProgramFacts &PF) : Base(Ctx), PF(PF) {}

  bool TraverseFunctionDecl(FunctionDecl *FD) {
    if (FD->isMain() && FD->doesThisDeclarationHaveABody())
      PF.Main = FD;
    return inFunction(FD, [&] { return Base::TraverseFunctionDecl(FD); });
  }
  bool TraverseCXXMethodDecl(CXXMethodDecl *MD) {
    return inFunction(MD, [&] { return Base::TraverseCXXMethodDecl(MD); });
  }
  bool TraverseCXXConstructorDecl(CXXConstructorDecl *CD) {
    return inFunction(CD, [&] { return Base::TraverseCXXConstructorDecl(CD); });
  }
  bool TraverseCXXDestructorDecl(CXXDestructorDecl *DD) {
    return inFunction(DD, [&] { return Base::TraverseCXXDestructorDecl(DD); });
  }
  bool TraverseLambdaExpr(LambdaExpr *L) {
    return inFunction(L->getCallOperator(),
                      [&] { return Base::TraverseLambdaExpr(L); });
  }

  bool TraverseCXXTryStmt(CXXTryStmt *T) {
    ++TryDepth;
    bool R = TraverseStmt(T->getTryBlock());
    --TryDepth;
    for (unsigned I = 0; R && I < T->getNumHandlers(); ++I)
      R = TraverseStmt(T->getHandler(I));
    return R;
  }

  bool VisitCallExpr(CallExpr *CE) {
    if (const auto *DRE =
            dyn_cast<DeclRefExpr>(CE->getCallee()->IgnoreParenImpCasts()))
      CalleeRefs.insert(DRE);
    record(CE->getDirectCallee(), CE);
    return true;
  }
  bool VisitCXXConstructExpr(CXXConstructExpr *CE) {
    record(CE->getConstructor(), CE);
    return true;
  }
  bool VisitDeclRefExpr(DeclRefExpr *DRE) {
    const auto *FD = dyn_cast<FunctionDecl>(DRE->getDecl());
    if (!FD)
      return true;
    if (isGLibLoopQuit(FD))
      PF.QuitsGLibLoop = true;
    if (!CalleeRefs.count(DRE)) {
      PF.AddressTaken.insert(canon(FD));
      PF.AddressTakenAt.try_emplace(canon(FD), DRE);
    }
    return true;
  }

private:
  template <typename Fn> bool inFunction(const FunctionDecl *FD, Fn Traverse) {
    const FunctionDecl *Saved = Current;
    unsigned SavedDepth = TryDepth;
    Current = FD;
    // A try around a lambda does not catch what its body throws later (a
    // function-try-block body is a CXXTryStmt: counted when traversed).
    TryDepth = 0;
    bool R = Traverse();
    Current = Saved;
    TryDepth = SavedDepth;
    return R;
  }
  static bool isGLibLoopQuit(const FunctionDecl *FD) {
    return FD->getIdentifier() && FD->getName() == "g_main_loop_quit";
  }
  void record(const FunctionDecl *Callee, const Expr *Call) {
    if (!Callee || !Current)
      return;
    PF.Callers[canon(Callee)].push_back({Current, Call, TryDepth > 0});
  }

  ProgramFacts &PF;
  const FunctionDecl *Current = nullptr;
  unsigned TryDepth = 0;
  llvm::DenseSet<const DeclRefExpr *> CalleeRefs;
};

ProgramFacts::ProgramFacts(ASTContext &Ctx) : Ctx(Ctx) {
  CallGraphCollector C(Ctx, *this);
  C.traverseUserCode();
}

ProgramFacts &ProgramFacts::get(ASTContext &Ctx) {
  return PerContext<ProgramFacts>::get(
      Ctx, [&Ctx] { return std::make_unique<ProgramFacts>(Ctx); });
}

//===-- Exceptions
//---------------------------------------------------------===//

ExceptionFate ProgramFacts::exceptionFate(const FunctionDecl *FD) {
  return FD ? fate(canon(FD), 0) : ExceptionFate::Unknown;
}

llvm::ArrayRef<ProgramFacts::CallSite>
ProgramFacts::callSites(const FunctionDecl *FD) const {
  auto It = Callers.find(canon(FD));
  if (It == Callers.end())
    return {};
  return It->second;
}

bool ProgramFacts::hasUnseenCallers(const FunctionDecl *FD) const {
  FD = canon(FD);
  if (const auto *MD = dyn_cast<CXXMethodDecl>(FD))
    if (MD->isVirtual() || MD->getParent()->isLambda())
      return true;
  return AddressTaken.count(FD) || (FD->isExternallyVisible() && !FD->isMain());
}

ExceptionFate ProgramFacts::fate(const FunctionDecl *FD, unsigned Depth) {
  auto It = Fates.find(FD);
  if (It != Fates.end())
    return It->second;
  const auto *Proto = FD->getType()->getAs<FunctionProtoType>();
  if (FD->isMain() || (Proto && Proto->isNothrow()))
    return Fates[FD] = ExceptionFate::Terminates;
  if (isTestBody(FD))
    return Fates[FD] = ExceptionFate::Caught;
  if (Depth > MaxDepth)
    return ExceptionFate::Unknown;
  Fates[FD] = ExceptionFate::Unknown; // cycles: no evidence either way
  ExceptionFate Result = ExceptionFate::Terminates;
  auto Sites = Callers.find(FD);
  if (Sites != Callers.end()) {
    for (const CallSite &S : Sites->second) {
      ExceptionFate F =
          S.InTry ? ExceptionFate::Caught : fate(canon(S.Caller), Depth + 1);
      if (F == ExceptionFate::Caught) {
        Result = F;
        break;
      }
      if (F == ExceptionFate::Unknown)
        Result = F;
    }
  }
  if (Result == ExceptionFate::Terminates && hasUnseenCallers(FD))
    Result = ExceptionFate::Unknown;
  return Fates[FD] = Result;
}

//===-- Calls that never return
//---------------------------------------------===//

bool ProgramFacts::neverReturns(const FunctionDecl *FD) {
  return FD && neverReturns(FD, 0);
}

/// A loop written to run forever that nothing leaves.
static bool isInescapable(const Stmt *S, ASTContext &Ctx) {
  return isLoop(S) && isEndlessByCondition(S, Ctx) && !findLoopExits(S).any();
}

bool ProgramFacts::callsNeverReturning(const Stmt *S, unsigned Depth) {
  const Expr *E = dyn_cast<Expr>(S);
  if (const auto *R = dyn_cast<ReturnStmt>(S))
    E = R->getRetValue();
  E = ignoreTransparent(E, PeelTemporaries);
  const FunctionDecl *Callee = E ? calleeOf(E) : nullptr;
  if (!Callee)
    return false;
  if (isGLibLoopRun(Callee) && !QuitsGLibLoop)
    return true;
  return neverReturns(Callee, Depth + 1);
}

bool ProgramFacts::neverReturns(const FunctionDecl *FD, unsigned Depth) {
  if (FD->isNoReturn())
    return true;
  const FunctionDecl *Def = nullptr;
  if (!FD->hasBody(Def) || Depth > MaxDepth)
    return false;
  FD = canon(FD);
  auto It = NoReturn.find(FD);
  if (It != NoReturn.end())
    return It->second;
  NoReturn[FD] = false; // recursion proves nothing
  bool Result = false;
  // Statements every call of the function runs: the top level of its body
  // (and of plain nested blocks).
  llvm::SmallVector<const Stmt *, 16> Work{Def->getBody()};
  while (!Work.empty() && !Result) {
    const Stmt *S = Work.pop_back_val();
    if (const auto *CS = dyn_cast_or_null<CompoundStmt>(S)) {
      Work.append(CS->body_rbegin(), CS->body_rend());
      continue;
    }
    Result = S && (isInescapable(S, Ctx) || callsNeverReturning(S, Depth));
  }
  return NoReturn[FD] = Result;
}

//===-- How long the process runs
//--------------------------------------------===//

bool ProgramFacts::loopsWithoutBound(const FunctionDecl *FD, unsigned Depth) {
  const FunctionDecl *Def = nullptr;
  if (runsEventLoop(FD))
    return true;
  // A library function is assumed to return (inline ones too: their loops
  // are over their arguments); a user function defined in another TU is
  // unknown.
  const SourceManager &SM = Ctx.getSourceManager();
  if (SM.isInSystemHeader(SM.getExpansionLoc(FD->getLocation())))
    return false;
  if (!FD->hasBody(Def))
    return true;
  FD = canon(FD);
  auto It = Unbounded.find(FD);
  if (It != Unbounded.end())
    return It->second;
  if (Depth > 3)
    return true;
  Unbounded[FD] = true; // recursion: unbounded as far as we can tell
  bool Result = anyStmt(
      Def->getBody(),
      [&](const Stmt *S) {
        if (isLoop(S))
          return !constantTripCount(S, Ctx).has_value();
        const FunctionDecl *Callee = calleeOf(S);
        // A function handed on (a thread's body, a callback) may run too.
        if (const auto *DRE = dyn_cast<DeclRefExpr>(S))
          Callee = dyn_cast<FunctionDecl>(DRE->getDecl());
        return Callee && loopsWithoutBound(Callee, Depth + 1);
      },
      LambdaPolicy::Enter);
  return Unbounded[FD] = Result;
}

bool ProgramFacts::endsSoon(const FunctionDecl *FD) {
  return FD && FD->isMain() && FD->hasBody() && !loopsWithoutBound(FD, 0);
}

bool ProgramFacts::livesForProcess(const VarDecl *V) {
  return !whyLivesForProcess(V).empty();
}

std::string ProgramFacts::whyLivesForProcess(const VarDecl *V) {
  if (!V)
    return "";
  if (V->hasGlobalStorage())
    return "static storage";
  if (!V->hasLocalStorage() || isa<ParmVarDecl>(V))
    return "";
  const auto *FD = dyn_cast<FunctionDecl>(V->getDeclContext());
  if (!FD || !FD->hasBody())
    return "";
  bool LongRunning = FD->isMain() ? !endsSoon(FD) : neverReturns(FD);
  if (!LongRunning)
    return "";
  // Declared once per call, not once per turn of a loop.
  auto Parents = ParentIndex::get(Ctx).parents(*V);
  const Stmt *DS = Parents.empty() ? nullptr : Parents.front().get<Stmt>();
  if (!DS || enclosingLoop(DS, Ctx, FD->getBody(), LoopPart::BodyAndCondition))
    return "";
  if (FD->isMain())
    return "local of main(), which runs until the process ends";
  return "local of '" + FD->getNameAsString() + "', which never returns";
}

//===-- Heap objects
//---------------------------------------------------------===//

static bool isStdFactory(const FunctionDecl *FD) {
  if (!FD || !FD->getIdentifier() || !FD->isInStdNamespace())
    return false;
  llvm::StringRef N = FD->getName();
  return N == "make_shared" || N == "make_unique" || N == "allocate_shared";
}

bool ProgramFacts::isSmartPointerFactoryCall(const Expr *E) {
  const auto *CE = dyn_cast_or_null<CallExpr>(
      E ? ignoreTransparent(E, PeelTemporaries) : nullptr);
  return CE && isStdFactory(CE->getDirectCallee());
}

const CXXRecordDecl *ProgramFacts::heapObjectCreated(const Expr *E,
                                                     const Expr **Node) {
  if (Node)
    *Node = nullptr;
  for (unsigned I = 0; E && I < 4; ++I) {
    E = ignoreTransparent(E, PeelTemporaries | PeelExplicitCasts | PeelMoves);
    if (Node)
      *Node = E;
    if (const auto *N = dyn_cast_or_null<CXXNewExpr>(E))
      return N->isArray() || N->getNumPlacementArgs()
                 ? nullptr
                 : N->getAllocatedType()->getAsCXXRecordDecl();
    if (isSmartPointerFactoryCall(E)) {
      const auto *FD = cast<CallExpr>(E)->getDirectCallee();
      const TemplateArgumentList *Args = FD->getTemplateSpecializationArgs();
      if (!Args || Args->size() == 0 ||
          Args->get(0).getKind() != TemplateArgument::Type)
        return nullptr;
      return Args->get(0).getAsType()->getAsCXXRecordDecl();
    }
    // std::shared_ptr<T>(new T), std::unique_ptr<T>{new T}
    const auto *CCE = dyn_cast_or_null<CXXConstructExpr>(E);
    if (!CCE || CCE->getNumArgs() == 0)
      return nullptr;
    E = CCE->getArg(0);
  }
  return nullptr;
}

} // namespace leaklib
} // namespace clang
