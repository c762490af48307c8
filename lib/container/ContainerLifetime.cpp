//===--- ContainerLifetime.cpp - leak-tidy --------------------------------===//
//
// Which objects live as long as the process, for the TU walk of
// findUnboundedContainers: variables (ProgramFacts::livesForProcess: static
// storage, top-level locals of a main() that runs until the process ends or
// of a function that never returns), the classes with such instances and
// with short-lived ones (locals, temporaries, heap objects nothing
// long-lived holds, what the library constructs), heap objects held by
// long-lived variables or by members (ProgramFacts::heapObjectCreated), and
// the propagation through members, bases and held heap objects.
//
//===----------------------------------------------------------------------===//
#include "lib/container/ContainerUseAnalysis.h"
#include "lib/core/AstHelpers.h"
#include "lib/core/ParentIndex.h"
#include "lib/core/Storage.h"
#include "clang/AST/ASTContext.h"
#include "clang/AST/DeclCXX.h"
#include "clang/AST/DeclTemplate.h"
#include "clang/AST/ExprCXX.h"

namespace clang {
namespace leaklib {
namespace containeruse {

void Analysis::noteRecordInstance(QualType T, bool Static,
                                  const LongLivedWhy *Why) {
  if (T.isNull() || T->isDependentType())
    return;
  const Type *Base = T->getBaseElementTypeUnsafe();
  if (!Base)
    return;
  if (const RecordDecl *RD = Base->getAsRecordDecl()) {
    RD = RD->getDefinition() ? RD->getDefinition() : RD;
    (Static ? StaticInst : ShortLived).insert(RD);
    if (Static && Why && !StaticWhy.count(RD))
      StaticWhy[RD] = *Why;
  }
}

/// The user classes held by a library container the user holds for a short
/// while (a local or parameter `std::vector<T>`): the library constructs
/// them, so they are short-lived.
void Analysis::noteLibraryElements(QualType T, unsigned Depth) {
  const auto *S = dyn_cast_or_null<ClassTemplateSpecializationDecl>(
      T.isNull() || Depth > 2 ? nullptr : T->getAsCXXRecordDecl());
  if (!S || !Model.classifyObjectType(T))
    return;
  for (const TemplateArgument &A : S->getTemplateArgs().asArray())
    if (A.getKind() == TemplateArgument::Type) {
      noteRecordInstance(A.getAsType(), /*Static=*/false);
      noteLibraryElements(A.getAsType(), Depth + 1);
    }
}

/// A heap object created by \p Value and stored in \p Var (when it lives as
/// long as the process) or in member \p Field: it lives as long as its
/// holder. Other creations are short-lived (VisitCXXNewExpr, VisitCallExpr).
void Analysis::noteHeapOwner(const Expr *Value, const VarDecl *Var,
                             const FieldDecl *Field) {
  const Expr *Node = nullptr;
  const CXXRecordDecl *RD = Value && !Value->isTypeDependent()
                                ? ProgramFacts::heapObjectCreated(Value, &Node)
                                : nullptr;
  if (!RD || !Node || (!Var && !Field))
    return;
  const RecordDecl *Def = RD->getDefinition() ? RD->getDefinition() : RD;
  OwnedCreations.insert(Node);
  if (Field) {
    const RecordDecl *Outer = Field->getParent();
    Contains.emplace_back(
        Outer->getDefinition() ? Outer->getDefinition() : Outer, Def);
    return;
  }
  StaticInst.insert(Def);
  if (!StaticWhy.count(Def))
    StaticWhy[Def] = {Node->getBeginLoc(),
                      "the '" + RD->getNameAsString() +
                          "' created here, held by '" + Var->getNameAsString() +
                          "' (" + PF.whyLivesForProcess(Var) + ")",
                      !livesForProgram(Var)};
}

/// The member an assignment stores to (`P = ...`, `this->P = ...`).
const FieldDecl *Analysis::assignedMember(const Expr *LHS) const {
  const auto *ME =
      dyn_cast_or_null<MemberExpr>(LHS ? LHS->IgnoreParenImpCasts() : nullptr);
  return ME ? dyn_cast<FieldDecl>(ME->getMemberDecl()) : nullptr;
}

/// Whether \p V lives as long as the process (ProgramFacts): static
/// storage, or a local of a main() that does not end soon or of a function
/// that never returns -- declared at the top level of its body: a local of
/// a nested block (`{ Parser P; ... }`) dies at the block's end.
/// Whether \p E lives as long as the process only through a local of main()
/// or of a function that never returns (itself, or the object or heap chain
/// that holds it), not through static storage.
bool Analysis::livesThroughLocal(const Entity &E) const {
  if (const auto *V = dyn_cast<VarDecl>(E.D))
    return !livesForProgram(V);
  const auto *F = dyn_cast<FieldDecl>(E.D);
  if (!F)
    return false;
  const RecordDecl *RD = F->getParent();
  auto It = StaticWhy.find(RD->getDefinition() ? RD->getDefinition() : RD);
  return It != StaticWhy.end() && It->second.ViaLocal;
}

bool Analysis::isLongLived(const VarDecl *V) const {
  if (livesForProgram(V))
    return true;
  if (isa<ParmVarDecl>(V) || !V->hasLocalStorage() ||
      V->getType()->isReferenceType())
    return false;
  const auto *FD = dyn_cast<FunctionDecl>(V->getDeclContext());
  if (!FD || FD->isDependentContext() || !FD->getBody())
    return false;
  const ParentIndex &PI = ParentIndex::get(Ctx);
  auto Parents = PI.parents(*V);
  const Stmt *DS = Parents.empty() ? nullptr : Parents.front().get<Stmt>();
  auto Outer = DS ? PI.parents(*DS) : decltype(Parents)();
  return !Outer.empty() && Outer.front().get<Stmt>() == FD->getBody() &&
         PF.livesForProcess(V);
}

bool Analysis::VisitVarDecl(VarDecl *V) {
  QualType T = V->getType();
  if (V->getDeclContext()->isDependentContext())
    return true;
  bool LongLived = isLongLived(V);
  if (!LongLived)
    noteLibraryElements(T.getNonReferenceType(), 0);
  if (T->isReferenceType())
    return true;
  if (V->getInit())
    noteHeapOwner(V->getInit(), LongLived ? V : nullptr, nullptr);
  if (T->isPointerType())
    return true;
  LongLivedWhy Why;
  if (LongLived && !livesForProgram(V))
    Why = {V->getLocation(),
           "'" + V->getNameAsString() + "', " + PF.whyLivesForProcess(V),
           /*ViaLocal=*/true};
  noteRecordInstance(T, LongLived, Why.Why.empty() ? nullptr : &Why);
  return true;
}

bool Analysis::VisitFieldDecl(FieldDecl *F) {
  QualType T = F->getType();
  if (F->hasInClassInitializer() && !F->getParent()->isDependentContext())
    noteHeapOwner(F->getInClassInitializer(), nullptr, F);
  if (T->isReferenceType() || T->isPointerType() || T->isDependentType())
    return true;
  if (const RecordDecl *Inner =
          T->getBaseElementTypeUnsafe()->getAsRecordDecl())
    Contains.emplace_back(F->getParent(), Inner->getDefinition()
                                              ? Inner->getDefinition()
                                              : Inner);
  return true;
}

bool Analysis::TraverseConstructorInitializer(CXXCtorInitializer *I) {
  if (I && I->isMemberInitializer() && !FnStack.empty() &&
      !FnStack.back()->isDependentContext())
    noteHeapOwner(I->getInit(), nullptr, I->getMember());
  return RecursiveASTVisitor::TraverseConstructorInitializer(I);
}

bool Analysis::VisitCXXRecordDecl(CXXRecordDecl *RD) {
  if (!RD->hasDefinition() || RD != RD->getDefinition() ||
      RD->isDependentType())
    return true;
  for (const CXXBaseSpecifier &B : RD->bases())
    if (const CXXRecordDecl *Base = B.getType()->getAsCXXRecordDecl())
      if (Base->hasDefinition())
        Contains.emplace_back(RD, Base->getDefinition());
  return true;
}

bool Analysis::VisitCXXNewExpr(CXXNewExpr *E) {
  if (OwnedCreations.count(E))
    return true;
  if (inSystemHeader(E->getBeginLoc())) {
    // make_shared<T>, vector<T>::emplace_back, ...: decided in
    // propagateInstances.
    if (const Type *T = E->getAllocatedType()->getBaseElementTypeUnsafe())
      if (const RecordDecl *RD = T->getAsRecordDecl())
        LibraryBuilt.insert(RD->getDefinition() ? RD->getDefinition() : RD);
    return true;
  }
  noteRecordInstance(E->getAllocatedType(), /*Static=*/false);
  return true;
}

/// A heap object stored by an assignment: `Instance = new Registry` (a
/// long-lived variable), `Impl = std::make_unique<T>()` (a member).
bool Analysis::VisitBinaryOperator(BinaryOperator *B) {
  if (B->getOpcode() != BO_Assign || B->isTypeDependent())
    return true;
  const Expr *LHS = B->getLHS()->IgnoreParenImpCasts();
  if (const auto *L = dyn_cast<DeclRefExpr>(LHS)) {
    if (const auto *V = dyn_cast<VarDecl>(L->getDecl()); V && isLongLived(V))
      noteHeapOwner(B->getRHS(), V, nullptr);
  } else if (const FieldDecl *F = assignedMember(LHS)) {
    noteHeapOwner(B->getRHS(), nullptr, F);
  }
  return true;
}

/// A heap object stored by an overloaded assignment or a reset:
/// `G = std::make_shared<T>()`, `P.reset(new T)`.
void Analysis::noteStoredCreation(const CallExpr *C) {
  if (const auto *OC = dyn_cast<CXXOperatorCallExpr>(C);
      OC && OC->getOperator() == OO_Equal && OC->getNumArgs() == 2 &&
      !OC->isTypeDependent()) {
    const Expr *LHS = OC->getArg(0)->IgnoreParenImpCasts();
    if (const auto *L = dyn_cast<DeclRefExpr>(LHS)) {
      if (const auto *V = dyn_cast<VarDecl>(L->getDecl()); V && isLongLived(V))
        noteHeapOwner(OC->getArg(1), V, nullptr);
    } else if (const FieldDecl *F = assignedMember(LHS)) {
      noteHeapOwner(OC->getArg(1), nullptr, F);
    }
  }
  if (const auto *MC = dyn_cast<CXXMemberCallExpr>(C);
      MC && MC->getNumArgs() == 1 && MC->getMethodDecl() &&
      MC->getMethodDecl()->getIdentifier() &&
      MC->getMethodDecl()->getName() == "reset")
    if (const FieldDecl *F = assignedMember(MC->getImplicitObjectArgument()))
      noteHeapOwner(MC->getArg(0), nullptr, F);
  if (ProgramFacts::isSmartPointerFactoryCall(C) &&
      !inSystemHeader(C->getBeginLoc()) && !C->isTypeDependent())
    if (const CXXRecordDecl *RD = ProgramFacts::heapObjectCreated(C)) {
      const RecordDecl *Def = RD->getDefinition() ? RD->getDefinition() : RD;
      MadeByFactory.insert(Def);
      if (!OwnedCreations.count(C))
        ShortLived.insert(Def);
    }
}

void Analysis::propagateInstances() {
  // Outer -> inner (fields, bases): an instance of the outer class holds an
  // instance of the inner one with the same lifetime.
  llvm::DenseMap<const RecordDecl *, std::vector<const RecordDecl *>> Edges;
  for (auto &[Outer, Inner] : Contains)
    Edges[Outer].push_back(Inner);
  // What the library constructs is short-lived, unless the user's
  // make_shared / make_unique calls (judged where their result is stored)
  // account for it.
  for (const RecordDecl *RD : LibraryBuilt)
    if (!MadeByFactory.count(RD))
      ShortLived.insert(RD);
  for (auto *Set : {&StaticInst, &ShortLived}) {
    std::vector<const RecordDecl *> Work(Set->begin(), Set->end());
    while (!Work.empty()) {
      const RecordDecl *RD = Work.back();
      Work.pop_back();
      auto It = Edges.find(RD);
      if (It == Edges.end())
        continue;
      auto Why = StaticWhy.find(RD);
      LongLivedWhy Outer;
      if (Set == &StaticInst && Why != StaticWhy.end()) {
        Outer = Why->second; // the map grows below: copy first
        if (Outer.Why.rfind("reached from ", 0) != 0)
          Outer.Why = "reached from " + Outer.Why;
      }
      for (const RecordDecl *Inner : It->second) {
        if (!Outer.Why.empty() && !StaticWhy.count(Inner))
          StaticWhy[Inner] = Outer;
        if (Set->insert(Inner).second)
          Work.push_back(Inner);
      }
    }
  }
}

bool Analysis::isStaticOnlyRecord(const RecordDecl *RD) const {
  if (RD->getDefinition())
    RD = RD->getDefinition();
  return StaticInst.count(RD) && !ShortLived.count(RD);
}

} // namespace containeruse
} // namespace leaklib
} // namespace clang
