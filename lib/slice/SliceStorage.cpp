//===--- SliceStorage.cpp - leak-tidy -------------------------------------===//
//
// Where a slice goes: the long-lived storage an lvalue designates, and the
// walk from a value up through casts, copies and wrappers to the statement
// that stores it (or the local variable it initialises).
//
//===----------------------------------------------------------------------===//
#include "lib/core/AstHelpers.h"
#include "lib/core/Storage.h"
#include "lib/program/ProgramFacts.h"
#include "lib/slice/SliceModel.h"
#include "lib/slice/SliceSupport.h"
#include "clang/AST/ASTContext.h"
#include "clang/AST/DeclCXX.h"
#include "clang/AST/Expr.h"
#include "clang/AST/ExprCXX.h"
#include "llvm/ADT/StringSwitch.h"

namespace clang {
namespace leaklib {

using namespace slice;

bool StorageKinds::allows(StorageKind K) const {
  switch (K) {
  case StorageKind::Global:
  case StorageKind::StaticMember:
    return Globals;
  case StorageKind::StaticLocal:
    return StaticLocals;
  case StorageKind::ThreadLocal:
    return ThreadLocals;
  case StorageKind::Member:
    return StaticObjectMembers;
  case StorageKind::Automatic:
    return ProcessLocals;
  default:
    return false;
  }
}

const char *StorageKinds::defaultNames() {
  return "Globals;StaticLocals;ThreadLocals;StaticObjectMembers;DataMembers;"
         "ProcessLocals";
}

std::vector<std::string>
StorageKinds::parse(const std::vector<std::string> &Names) {
  Globals = StaticLocals = ThreadLocals = StaticObjectMembers = DataMembers =
      ProcessLocals = false;
  std::vector<std::string> Bad;
  for (const std::string &N : Names) {
    bool *Flag = llvm::StringSwitch<bool *>(N)
                     .Case("Globals", &Globals)
                     .Case("StaticLocals", &StaticLocals)
                     .Case("ThreadLocals", &ThreadLocals)
                     .Case("StaticObjectMembers", &StaticObjectMembers)
                     .Case("DataMembers", &DataMembers)
                     .Case("ProcessLocals", &ProcessLocals)
                     .Default(nullptr);
    if (Flag)
      *Flag = true;
    else
      Bad.push_back(N);
  }
  return Bad;
}

// The program model is a cache per ASTContext; asking it changes no AST.
bool livesAsLongAsProcess(const VarDecl *V, const ASTContext &Ctx) {
  return V &&
         (livesForProgram(V) ||
          ProgramFacts::get(const_cast<ASTContext &>(Ctx)).livesForProcess(V));
}

bool processEndsSoon(const ASTContext &Ctx) {
  for (const Decl *D : Ctx.getTranslationUnitDecl()->decls()) {
    const auto *FD = dyn_cast<FunctionDecl>(D);
    if (FD && FD->isMain() && FD->hasBody())
      return ProgramFacts::get(const_cast<ASTContext &>(Ctx)).endsSoon(FD);
  }
  return false;
}

/// The storage of a variable the value is stored in, when it lives for the
/// program (with \p Ctx: or as long as the process, for a local).
static LongLivedStorage programStorage(const ValueDecl *D,
                                       const ASTContext *Ctx) {
  const auto *V = dyn_cast<VarDecl>(D);
  if (!V || !(livesForProgram(V) || (Ctx && !V->getType()->isReferenceType() &&
                                     livesAsLongAsProcess(V, *Ctx))))
    return {};
  LongLivedStorage Out;
  Out.Kind = storageKind(V);
  Out.Root = V;
  return Out;
}

LongLivedStorage longLivedStorage(const Expr *E, ASTContext *Ctx) {
  bool InContainer = false;
  LongLivedStorage Out;
  for (unsigned Depth = 0; E && Depth < 32 && !Out; ++Depth) {
    E = E->IgnoreParenImpCasts();
    if (const auto *DRE = dyn_cast<DeclRefExpr>(E)) {
      const auto *V = dyn_cast<VarDecl>(DRE->getDecl());
      if (V && V->getType()->isReferenceType() && !V->hasGlobalStorage() &&
          V->getInit()) {
        // A local reference bound to long-lived storage (auto &m = g_map).
        E = V->getInit();
        continue;
      }
      if (V && V->getType()->isReferenceType())
        return {};
      Out = programStorage(V, Ctx);
      break;
    }
    if (const auto *ME = dyn_cast<MemberExpr>(E)) {
      if (isa<VarDecl>(ME->getMemberDecl())) {
        Out = programStorage(ME->getMemberDecl(), Ctx);
        break;
      }
      if (!ME->isArrow()) {
        E = ME->getBase();
        continue;
      }
      const Expr *Base = ME->getBase()->IgnoreParenImpCasts();
      if (!isa<CXXThisExpr>(Base) || !Ctx ||
          !hasStaticInstance(
              Base->getType()->getPointeeType()->getAsCXXRecordDecl(), *Ctx))
        return {}; // through a pointer: unknown target
      Out.Kind = StorageKind::Member;
      Out.Root = ME->getMemberDecl();
      break;
    }
    if (const auto *ASE = dyn_cast<ArraySubscriptExpr>(E)) {
      if (!ASE->getBase()->IgnoreParenImpCasts()->getType()->isArrayType())
        return {}; // through a pointer
      E = ASE->getBase();
      continue;
    }
    E = containerOfElement(E);
    if (!E)
      return {};
    InContainer = true;
  }
  if (Out)
    Out.InContainer = InContainer;
  return Out;
}

const Expr *containerOfElement(const Expr *E) {
  if (const auto *Op = dyn_cast<CXXOperatorCallExpr>(E))
    return Op->getOperator() == OO_Subscript && Op->getNumArgs() == 2
               ? Op->getArg(0)
               : nullptr;
  const auto *MC = dyn_cast<CXXMemberCallExpr>(E);
  const CXXMethodDecl *M = MC ? MC->getMethodDecl() : nullptr;
  if (M && M->getIdentifier() &&
      llvm::StringSwitch<bool>(M->getName())
          .Cases({"at", "front", "back", "operator[]"}, true)
          .Default(false))
    return MC->getImplicitObjectArgument();
  return nullptr;
}

const Expr *containerStoringArgument(const CallExpr *Call, unsigned Arg) {
  if (Arg >= Call->getNumArgs())
    return nullptr;
  if (const auto *MC = dyn_cast<CXXMemberCallExpr>(Call)) {
    const CXXMethodDecl *M = MC->getMethodDecl();
    if (!M || !M->getIdentifier())
      return nullptr;
    bool Stores = llvm::StringSwitch<bool>(M->getName())
                      .Cases({"push_back", "emplace_back", "push_front",
                              "emplace_front", "insert", "emplace",
                              "emplace_hint", "try_emplace", "insert_or_assign",
                              "push", "append", "prepend", "enqueue", "assign"},
                             true)
                      .Default(false);
    return Stores ? MC->getImplicitObjectArgument() : nullptr;
  }
  const FunctionDecl *FD = Call->getDirectCallee();
  if (!FD || !FD->getIdentifier() || Arg == 0)
    return nullptr;
  bool Stores = llvm::StringSwitch<bool>(FD->getName())
                    .Cases({"g_hash_table_insert", "g_hash_table_replace",
                            "g_ptr_array_add", "g_queue_push_tail",
                            "g_queue_push_head", "g_async_queue_push"},
                           true)
                    .Default(false);
  return Stores ? Call->getArg(0) : nullptr;
}

SourceLocation Sink::loc() const {
  if (Store)
    return Store->getBeginLoc();
  if (StoreVar)
    return StoreVar->getLocation();
  return SourceLocation();
}

namespace {
bool isWrapperRecord(const CXXRecordDecl *RD, const NameMatcher &Wrappers) {
  if (!RD)
    return false;
  if (Wrappers.matches(RD))
    return true;
  std::string Name = qualifiedName(RD);
  return Name == "std::pair" || Name == "std::tuple" ||
         Name == "std::function" || Name == "std::optional" ||
         Name == "std::move_only_function" || Name == "boost::function";
}

/// Whether the construction \p CE carries the value \p Arg it is built from
/// (rather than copying what it points to).
bool carriesValue(const CXXConstructExpr *CE, const Expr *Arg, bool RawPointer,
                  const NameMatcher &Wrappers) {
  const CXXConstructorDecl *Ctor = CE->getConstructor();
  if (!Ctor)
    return false;
  const CXXRecordDecl *RD = Ctor->getParent();
  if (RawPointer) // std::string(p), std::vector(p, p + n): copies
    return false;
  if (Ctor->isCopyOrMoveConstructor())
    return true;
  if (isa<LambdaExpr>(Arg->IgnoreParenImpCasts()))
    return true; // std::function built from a lambda
  return isWrapperRecord(RD, Wrappers);
}
} // namespace

/// Whether the parent \p PS passes the value \p Cur on unchanged in what
/// it denotes (a cast, a copy, a wrapper, a capture, std::move).
static bool passesValueOn(const Stmt *PS, const Expr *Cur, bool RawPointer,
                          const NameMatcher &Wrappers) {
  if (isa<ParenExpr, ImplicitCastExpr, MaterializeTemporaryExpr,
          CXXBindTemporaryExpr, ExprWithCleanups, InitListExpr,
          CXXStdInitializerListExpr>(PS) ||
      (isa<ExplicitCastExpr>(PS) && !isa<CXXFunctionalCastExpr>(PS) &&
       cast<Expr>(PS)->getType()->isPointerType()))
    return true;
  if (const auto *FC = dyn_cast<CXXFunctionalCastExpr>(PS))
    return !RawPointer || FC->getType()->isPointerType();
  if (const auto *CO = dyn_cast<AbstractConditionalOperator>(PS))
    return Cur != CO->getCond();
  if (const auto *CE = dyn_cast<CXXConstructExpr>(PS))
    return carriesValue(CE, Cur, RawPointer, Wrappers);
  if (const auto *L = dyn_cast<LambdaExpr>(PS)) {
    for (const Expr *Init : L->capture_inits())
      if (Init == Cur)
        return true;
    return false;
  }
  if (const auto *Call = dyn_cast<CallExpr>(PS))
    return isMoveLike(Call) ||
           (!RawPointer && Call->getDirectCallee() &&
            (isStdFunction(Call->getDirectCallee(), "make_pair") ||
             isStdFunction(Call->getDirectCallee(), "make_tuple")));
  return false;
}

/// Fills \p Out when \p PS stores \p Cur: an assignment of it, or a
/// container call taking it as the stored argument.
static void storeInto(const Stmt *PS, const Expr *Cur, ASTContext &Ctx,
                      Sink &Out) {
  if (const auto *BO = dyn_cast<BinaryOperator>(PS)) {
    if (BO->getOpcode() == BO_Assign && BO->getRHS() == Cur) {
      Out.Storage = longLivedStorage(BO->getLHS(), &Ctx);
      Out.Store = BO;
    }
    return;
  }
  if (const auto *Op = dyn_cast<CXXOperatorCallExpr>(PS)) {
    if (Op->getOperator() == OO_Equal && Op->getNumArgs() == 2 &&
        Op->getArg(1) == Cur) {
      Out.Storage = longLivedStorage(Op->getArg(0), &Ctx);
      Out.Store = Op;
    }
    return;
  }
  const auto *Call = dyn_cast<CallExpr>(PS);
  if (!Call)
    return;
  for (unsigned I = 0; I < Call->getNumArgs(); ++I) {
    if (Call->getArg(I) != Cur)
      continue;
    if (const Expr *Container = containerStoringArgument(Call, I)) {
      Out.Storage = longLivedStorage(Container, &Ctx);
      Out.Storage.InContainer = true;
      Out.Store = Call;
    }
    return;
  }
}

Sink findSink(const Expr *E, ASTContext &Ctx, bool RawPointer,
              const NameMatcher &Wrappers) {
  Sink Out;
  DynTypedNode N = DynTypedNode::create(*E);
  const Expr *Cur = E;
  for (unsigned Depth = 0; Depth < 24; ++Depth) {
    DynTypedNode P = parentOf(N, Ctx);
    if (const auto *V = P.get<VarDecl>()) {
      if (V->getInit() == nullptr || isa<ParmVarDecl>(V))
        return Out;
      if (V->isInitCapture()) {
        // [s = slice] { ... }: the lambda object holds the slice.
        DynTypedNode L = parentOf(P, Ctx);
        const auto *Lambda = L.get<LambdaExpr>();
        if (!Lambda)
          return Out;
        N = L;
        Cur = Lambda;
        continue;
      }
      if (LongLivedStorage S = programStorage(V, &Ctx)) {
        Out.Storage = S;
        Out.StoreVar = V;
      } else if (!V->getType()->isReferenceType()) {
        Out.Local = V;
      }
      return Out;
    }
    const auto *PS = P.get<Stmt>();
    if (!PS)
      return Out;
    if (!passesValueOn(PS, Cur, RawPointer, Wrappers)) {
      storeInto(PS, Cur, Ctx, Out);
      return Out;
    }
    N = P;
    Cur = cast<Expr>(PS);
  }
  return Out;
}

std::vector<Sink> longLivedSinksOfLocal(const VarDecl *V, ASTContext &Ctx,
                                        bool RawPointer,
                                        const NameMatcher &Wrappers) {
  std::vector<Sink> Out;
  for (const DeclRefExpr *Ref : refsInFunction(V)) {
    Sink S = findSink(Ref, Ctx, RawPointer, Wrappers);
    if (S.Storage)
      Out.push_back(S);
  }
  return Out;
}

} // namespace leaklib
} // namespace clang
