//===--- ContainerKeys.cpp - leak-tidy ------------------------------------===//
//
// Whether a grow of a tracked container counts: the code runs after start-up
// (not in a static initializer, a call_once or a function only called from
// there), and its key or element is a run-time value (a parameter some
// caller fills from outside data, a variable read by getline, a counter, a
// call's result) rather than a constant or an element of a constant table.
//
//===----------------------------------------------------------------------===//
#include "lib/container/ContainerUseAnalysis.h"
#include "lib/core/AstHelpers.h"
#include "lib/core/LoopFacts.h"
#include "lib/core/ParentIndex.h"
#include "lib/core/Storage.h"
#include "lib/program/FunctionSummaries.h"
#include "clang/AST/ASTContext.h"
#include "clang/AST/DeclCXX.h"
#include "clang/AST/Expr.h"
#include "clang/AST/ExprCXX.h"

namespace clang {
namespace leaklib {
namespace containeruse {

// --- start-up ----------------------------------------------------------------

bool Analysis::isStartUpOnly(const FunctionDecl *F, unsigned Depth) {
  if (!F)
    return false;
  F = F->getCanonicalDecl();
  if (OnceCallables.count(F))
    return true;
  if (const auto *Ctor = dyn_cast<CXXConstructorDecl>(F))
    if (isStaticOnlyRecord(Ctor->getParent()))
      return true;
  if (F->isMain() || AddressTaken.count(F) || Depth > 8)
    return false;
  auto Memo = StartUpMemo.find(F);
  if (Memo != StartUpMemo.end())
    return Memo->second == 1;
  StartUpMemo[F] = 0; // recursion: not start-up
  bool Result = false;
  auto It = Calls.find(F);
  if (It != Calls.end() && !It->second.empty()) {
    Result = true;
    for (const CallSite &S : It->second) {
      if (S.Ctx.StartUp || S.Ctx.Dependent)
        continue;
      if (!S.Ctx.Fn || (S.Ctx.Lambda && !StartUpLambdas.count(S.Ctx.Lambda)) ||
          !isStartUpOnly(S.Ctx.Fn, Depth + 1) ||
          S.Ctx.Fn->getCanonicalDecl() == F) {
        Result = false;
        break;
      }
    }
  }
  StartUpMemo[F] = Result ? 1 : 2;
  return Result;
}

/// Whether \p F runs again and again in a run of the program, as far as
/// this file shows: a call of it sits in a loop without a constant trip
/// count (a loop around the grow itself counts only with \p OwnLoop: for a
/// constant element it is the element's business -- the command line's
/// arguments, a constant table), or \p F
/// is a callback (its address is taken) or a virtual override (a framework
/// calls it per event), or one of its callers runs repeatedly. main(), a
/// function only called once, and a function with no caller in this file
/// (an init() another file's main() may call once) do not count: unsure,
/// so a constant element there is not a growth.
bool Analysis::runsRepeatedly(const FunctionDecl *F, const Stmt *Site,
                              unsigned Depth, bool OwnLoop) {
  if (!F || !F->hasBody() || Depth > 8)
    return false;
  if (Depth > 0 || OwnLoop)
    if (const Stmt *L =
            enclosingLoop(Site, Ctx, F->getBody(), LoopPart::BodyAndCondition);
        L && !constantTripCount(L, Ctx))
      return true;
  if (F->isMain())
    return false;
  F = F->getCanonicalDecl();
  if (AddressTaken.count(F))
    return true;
  if (const auto *MD = dyn_cast<CXXMethodDecl>(F);
      MD && MD->size_overridden_methods() > 0)
    return true;
  auto It = Calls.find(F);
  if (It == Calls.end())
    return false;
  for (const CallSite &S : It->second)
    if (S.Ctx.Lambda || (S.Ctx.Fn && S.Ctx.Fn->getCanonicalDecl() != F &&
                         runsRepeatedly(S.Ctx.Fn, S.Call, Depth + 1)))
      return true;
  return false;
}

// --- keys ------------------------------------------------------------------

Analysis::KeyInfo Analysis::paramKey(const ParmVarDecl *P) {
  KeyInfo RunTime{true, "parameter '" + P->getNameAsString() + "'"};
  // Each parameter is judged once (a cycle through callers counts as
  // run-time), which keeps the walk over call sites linear.
  auto Memo = ParamMemo.find(P);
  if (Memo != ParamMemo.end())
    return Memo->second;
  ParamMemo[P] = RunTime;
  KeyInfo K = paramKeyUncached(P);
  if (!K.RunTime)
    K = KeyInfo{};
  ParamMemo[P] = K;
  return K;
}

/// std::placeholders::_1 ...: a run-time argument of a bound call.
static bool isPlaceholder(const Expr *E) {
  const auto *RD = ignoreTransparent(E)->getType()->getAsCXXRecordDecl();
  return RD && RD->getIdentifier() && RD->getName().contains("laceholder");
}

Analysis::KeyInfo Analysis::paramKeyUncached(const ParmVarDecl *P) {
  KeyInfo RunTime{true, "parameter '" + P->getNameAsString() + "'"};
  const auto *F = dyn_cast<FunctionDecl>(P->getDeclContext());
  if (!F || ParamHops > 64)
    return RunTime;
  F = F->getCanonicalDecl();
  if (F->isMain())
    return {}; // the command line: finite, given once at start-up
  unsigned Index = P->getFunctionScopeIndex();
  // Declared in a header with external linkage: other translation units
  // may call it with anything -- unless project facts show every call.
  bool OthersConstant = false;
  if (F->isExternallyVisible() && !declaredOnlyInMainFile(F, SM) &&
      !Opts.AssumeExternalContainersUnbounded) {
    KeyInfo Elsewhere;
    std::optional<bool> Known = otherTUsPassConstants(F, P, Elsewhere);
    if (!Known)
      return {true, RunTime.Source + " of '" + F->getNameAsString() +
                        "', which other translation units may call"};
    if (!*Known)
      return Elsewhere;
    OthersConstant = true;
  }
  // The program model: every call passes a constant.
  if (FunctionSummaries::get(Ctx).calledOnlyWithConstants(F, Index))
    return {};
  if (AddressTaken.count(F))
    return RunTime;
  // Otherwise each call's argument is judged as a key of its own: a
  // parameter of a caller that only gets constants, a constant local, a
  // constant bound by std::bind.
  auto It = Calls.find(F);
  if (It == Calls.end() || It->second.empty())
    return OthersConstant ? KeyInfo{} : RunTime; // only called elsewhere
  if (It->second.size() > 64)
    return RunTime;
  unsigned Outside = 0;
  for (const CallSite &S : It->second) {
    // Template patterns are seen through their instantiations; recursive
    // calls only pass on what the outside callers gave.
    if (S.Ctx.Dependent || (S.Ctx.Fn && S.Ctx.Fn->getCanonicalDecl() == F))
      continue;
    ++Outside;
    const Expr *Arg = nullptr;
    if (const auto *C = dyn_cast<CallExpr>(S.Call)) {
      unsigned I = Index + S.ArgOffset;
      if (isa<CXXOperatorCallExpr>(C) && isa<CXXMethodDecl>(F))
        ++I;
      if (I < C->getNumArgs())
        Arg = C->getArg(I);
      if (S.Bound && (!Arg || isPlaceholder(Arg)))
        return RunTime; // supplied when the bound callable is called
    } else if (const auto *CE = dyn_cast<CXXConstructExpr>(S.Call)) {
      if (Index < CE->getNumArgs())
        Arg = CE->getArg(Index);
    }
    if (!Arg)
      continue;
    ++ParamHops;
    KeyInfo K = keyOf(Arg, 0); // a new expression: its own nesting budget
    --ParamHops;
    if (K.RunTime)
      return RunTime;
  }
  if (!Outside && !OthersConstant)
    return RunTime;
  return {}; // every caller passes a constant
}

/// Functions that fill a variable passed by reference from outside data.
static bool isInputFunction(llvm::StringRef N) {
  static const char *const Names[] = {
      "getline", "read",  "recv",       "recvfrom", "recvmsg", "fgets",
      "fread",   "scanf", "fscanf",     "sscanf",   "getenv",  "readLine",
      "readAll", "get",   "operator>>", "pread",    "gets"};
  for (const char *S : Names)
    if (N == S)
      return true;
  return false;
}

/// Whether the reference \p Ref to a local variable may change it (a
/// non-const method, a non-const reference argument, an assignment, ...).
/// \p Filler names the input function that fills it (getline, operator>>).
bool Analysis::useModifies(const DeclRefExpr *Ref, std::string &Filler) {
  const Expr *Cur = Ref;
  const Stmt *P = parentStmt(Cur);
  while (const auto *IC = dyn_cast_or_null<ImplicitCastExpr>(P)) {
    if (IC->getCastKind() == CK_LValueToRValue)
      break;
    Cur = IC;
    P = parentStmt(Cur);
  }
  if (!P || isa<ImplicitCastExpr>(P))
    return false; // read
  if (const auto *MC = dyn_cast<MemberExpr>(P)) {
    const auto *MD = dyn_cast<CXXMethodDecl>(MC->getMemberDecl());
    return !MD || !MD->isConst();
  }
  if (isa<CXXConstructExpr>(P))
    return false; // copied
  const auto *C = dyn_cast<CallExpr>(P);
  if (!C)
    return true; // assigned, incremented, address taken, ...
  const FunctionDecl *FD = C->getDirectCallee();
  bool ByRef = true;
  for (unsigned I = 0; FD && I < C->getNumArgs(); ++I) {
    if (C->getArg(I) != Cur)
      continue;
    unsigned PI = I;
    if (isa<CXXOperatorCallExpr>(C) && isa<CXXMethodDecl>(FD)) {
      if (I == 0) {
        ByRef = !cast<CXXMethodDecl>(FD)->isConst();
        break;
      }
      PI = I - 1;
    }
    ByRef = PI >= FD->getNumParams() ||
            isNonConstRefOrPointer(FD->getParamDecl(PI)->getType());
  }
  if (!ByRef)
    return false;
  if (Filler.empty() && FD && FD->getDeclName().isIdentifier() &&
      isInputFunction(FD->getName()))
    Filler = FD->getName().str();
  else if (Filler.empty() && FD &&
           FD->getOverloadedOperator() == OO_GreaterGreater)
    Filler = "operator>>";
  return true;
}

/// Whether some use of \p V in \p Body (lambdas included) may change it.
bool Analysis::modifiedIn(const VarDecl *V, const Stmt *Body,
                          std::string &Filler) {
  bool Modified = false;
  unsigned Budget = 20000;
  forEachStmt(
      Body,
      [&](const Stmt *S) {
        if (!Budget--)
          return Walk::Stop;
        const auto *DRE = dyn_cast<DeclRefExpr>(S);
        if (DRE && DRE->getDecl() == V && useModifies(DRE, Filler))
          Modified = true;
        return Walk::Continue;
      },
      LambdaPolicy::Enter);
  return Modified;
}

Analysis::KeyInfo Analysis::localKey(const VarDecl *V, unsigned Depth) {
  auto It = LocalMemo.find(V);
  if (It != LocalMemo.end())
    return It->second;
  std::string Name = "variable '" + V->getNameAsString() + "'";
  KeyInfo Result{true, Name};
  LocalMemo[V] = Result; // recursion guard
  const Expr *Init = V->getInit();
  KeyInfo InitKey = Init ? keyOf(Init, Depth + 1) : KeyInfo{};
  if (InitKey.RunTime) {
    Result.Source = Name + " (from " + InitKey.Source + ")";
  } else if (const auto *F = dyn_cast<FunctionDecl>(V->getDeclContext());
             F && F->hasBody()) {
    // Constant at the start: is it changed later? Look at its uses.
    std::string Filler;
    if (!modifiedIn(V, F->getBody(), Filler))
      Result = KeyInfo{};
    else if (!Filler.empty())
      Result.Source = Name + " (read by '" + Filler + "')";
  }
  LocalMemo[V] = Result;
  return Result;
}

static bool isConstTableStorage(const Expr *E) {
  // kTable[i].name, kNames[i], kConfig.field: a const object that lives
  // for the program is a constant table whatever the index.
  while (E) {
    E = E->IgnoreParenImpCasts();
    if (const auto *DRE = dyn_cast<DeclRefExpr>(E)) {
      const auto *V = dyn_cast<VarDecl>(DRE->getDecl());
      return V && livesForProgram(V) &&
             (V->isConstexpr() || V->getType().isConstQualified());
    }
    if (const auto *ME = dyn_cast<MemberExpr>(E)) {
      if (ME->isArrow())
        return false;
      E = ME->getBase();
      continue;
    }
    if (const auto *AS = dyn_cast<ArraySubscriptExpr>(E)) {
      E = AS->getBase();
      continue;
    }
    return false;
  }
  return false;
}

Analysis::KeyInfo Analysis::firstRunTime(llvm::ArrayRef<const Expr *> Subs,
                                         unsigned Depth) {
  for (const Expr *Sub : Subs) {
    KeyInfo K = keyOf(Sub, Depth + 1);
    if (K.RunTime)
      return K;
  }
  return {};
}

/// A variable other than a parameter.
Analysis::KeyInfo Analysis::varKey(const VarDecl *V, unsigned Depth) {
  KeyInfo Constant;
  auto LR = LoopRanges.find(V);
  if (LR != LoopRanges.end()) {
    const Expr *Range = ignoreTransparent(LR->second);
    if (isConstTableStorage(Range))
      return Constant;
    KeyInfo K = keyOf(Range, Depth + 1);
    if (!K.RunTime)
      return Constant;
    return {true, "variable '" + V->getNameAsString() + "' (an element of " +
                      K.Source + ")"};
  }
  if (V->isConstexpr())
    return Constant;
  if (livesForProgram(V)) {
    if (V->getType().isConstQualified())
      return Constant;
    return {true, "global '" + V->getNameAsString() + "'"};
  }
  if (V->getType()->isReferenceType() || V->getType().isConstQualified())
    return V->getInit() ? keyOf(V->getInit(), Depth + 1) : Constant;
  return localKey(V, Depth);
}

Analysis::KeyInfo Analysis::declKey(const DeclRefExpr *DRE, unsigned Depth) {
  const ValueDecl *D = DRE->getDecl();
  if (const auto *P = dyn_cast<ParmVarDecl>(D))
    return paramKey(P);
  if (const auto *V = dyn_cast<VarDecl>(D))
    return varKey(V, Depth);
  if (isa<BindingDecl>(D))
    return {true, "binding '" + D->getNameAsString() + "'"};
  return {}; // enumerators, functions
}

Analysis::KeyInfo Analysis::memberKey(const MemberExpr *ME, unsigned Depth) {
  if (const auto *V = dyn_cast<VarDecl>(ME->getMemberDecl())) {
    if (V->getType().isConstQualified()) // a static data member
      return {};
    return {true, "static member '" + V->getNameAsString() + "'"};
  }
  const Expr *Base = ME->getBase()->IgnoreParenImpCasts();
  if (isa<CXXThisExpr>(Base))
    return {true, "member '" + ME->getMemberDecl()->getNameAsString() + "'"};
  return keyOf(Base, Depth + 1);
}

Analysis::KeyInfo Analysis::callKey(const CallExpr *C, unsigned Depth) {
  if (const auto *OC = dyn_cast<CXXOperatorCallExpr>(C))
    if (OC->getOperator() == OO_PlusPlus || OC->getOperator() == OO_MinusMinus)
      return {true, "a counter"};
  std::vector<const Expr *> Subs;
  if (const auto *MC = dyn_cast<CXXMemberCallExpr>(C))
    Subs.push_back(MC->getImplicitObjectArgument());
  for (const Expr *A : C->arguments())
    Subs.push_back(A);
  KeyInfo K = firstRunTime(Subs, Depth);
  if (K.RunTime)
    return K;
  const FunctionDecl *FD = C->getDirectCallee();
  if (isa<CXXOperatorCallExpr>(C) || (FD && FD->isConstexpr()) || !Subs.empty())
    return {}; // a function of constants
  std::string Name = FD && FD->getDeclName().isIdentifier()
                         ? FD->getName().str()
                         : std::string("a call");
  return {true, "the result of '" + Name + "'"};
}

static bool isConstantNode(const Expr *E, ASTContext &Ctx) {
  QualType T = E->getType();
  if (T->isEnumeralType() || T->isBooleanType())
    return true;
  if (isa<StringLiteral, IntegerLiteral, FloatingLiteral, CharacterLiteral,
          CXXBoolLiteralExpr, CXXNullPtrLiteralExpr, GNUNullExpr,
          CXXDefaultArgExpr, CXXDefaultInitExpr, ImplicitValueInitExpr,
          UnaryExprOrTypeTraitExpr, CXXScalarValueInitExpr>(E))
    return true;
  if (!T->isRecordType() && !T->isDependentType() && E->isEvaluatable(Ctx))
    return true;
  return isConstTableStorage(E);
}

Analysis::KeyInfo Analysis::keyOf(const Expr *E, unsigned Depth) {
  if (!E || Depth > 8)
    return {};
  E = ignoreTransparent(E);
  if (E->isTypeDependent() || E->isValueDependent() || E->containsErrors() ||
      isConstantNode(E, Ctx))
    return {};
  if (const auto *DRE = dyn_cast<DeclRefExpr>(E))
    return declKey(DRE, Depth);
  if (const auto *ME = dyn_cast<MemberExpr>(E))
    return memberKey(ME, Depth);
  if (const auto *AS = dyn_cast<ArraySubscriptExpr>(E))
    return keyOf(AS->getBase(), Depth + 1); // a constant table's elements
                                            // form a finite set
  if (isa<CXXThisExpr>(E))
    return {true, "'this'"};
  if (isa<CXXNewExpr>(E))
    return {true, "a new object"};
  if (const auto *L = dyn_cast<LambdaExpr>(E))
    return L->capture_size() ? KeyInfo{true, "a capturing lambda"} : KeyInfo{};
  if (const auto *U = dyn_cast<UnaryOperator>(E)) {
    KeyInfo K = keyOf(U->getSubExpr(), Depth + 1);
    if (U->isIncrementDecrementOp() && !K.RunTime)
      return {true, "a counter"};
    return K;
  }
  if (const auto *C = dyn_cast<CallExpr>(E))
    return callKey(C, Depth);
  if (const auto *CE = dyn_cast<CXXConstructExpr>(E))
    return firstRunTime({CE->getArgs(), CE->getNumArgs()}, Depth);
  if (const auto *IL = dyn_cast<InitListExpr>(E))
    return firstRunTime({IL->getInits(), IL->getNumInits()}, Depth);
  if (const auto *SIL = dyn_cast<CXXStdInitializerListExpr>(E))
    return keyOf(SIL->getSubExpr(), Depth + 1);
  if (const auto *CE = dyn_cast<ExplicitCastExpr>(E))
    return keyOf(CE->getSubExpr(), Depth + 1);
  if (const auto *B = dyn_cast<BinaryOperator>(E))
    return firstRunTime({B->getLHS(), B->getRHS()}, Depth);
  if (const auto *CO = dyn_cast<AbstractConditionalOperator>(E))
    return firstRunTime({CO->getCond(), CO->getTrueExpr(), CO->getFalseExpr()},
                        Depth);
  if (const auto *PL = dyn_cast<ParenListExpr>(E))
    return firstRunTime(const_cast<ParenListExpr *>(PL)->exprs(), Depth);
  return {true, "a run-time value"};
}

} // namespace containeruse
} // namespace leaklib
} // namespace clang
