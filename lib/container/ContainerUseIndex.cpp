//===--- ContainerUseIndex.cpp - leak-tidy -------------------------------===//
//
// The TU walk of findUnboundedContainers (what is a tracked container, where
// it is referenced, who calls whom, which classes have static instances,
// which code runs at start-up) and the result: the containers whose every
// use was classified and that only grow with run-time keys.
//
//===----------------------------------------------------------------------===//
#include "lib/container/ContainerUseAnalysis.h"
#include "lib/core/AstHelpers.h"
#include "lib/core/ParentIndex.h"
#include "lib/core/Storage.h"
#include "clang/AST/ASTContext.h"
#include "clang/AST/DeclCXX.h"
#include "clang/AST/DeclTemplate.h"
#include "clang/AST/Expr.h"
#include "clang/AST/ExprCXX.h"
#include "clang/AST/StmtCXX.h"
#include "clang/Basic/SourceManager.h"
#include <algorithm>

namespace clang {
namespace leaklib {
namespace containeruse {

SiteContext Analysis::here() const {
  SiteContext C;
  C.Fn = FnStack.empty() ? nullptr : FnStack.back();
  C.StartUp = StartUpDepth > 0;
  C.Dependent = C.Fn && C.Fn->isDependentContext();
  C.Lambda = LambdaStack.empty() ? nullptr : LambdaStack.back();
  return C;
}

// --- traversal -------------------------------------------------------------

bool Analysis::TraverseDecl(Decl *D) {
  if (GaveUp)
    return false;
  if (D && !isa<TranslationUnitDecl>(D) && inSystemHeader(D->getLocation()) &&
      !isInInstantiation(*D))
    return traverseSystemPattern(D);
  const auto *F = dyn_cast_or_null<FunctionDecl>(D);
  if (F)
    FnStack.push_back(F);
  bool R = RecursiveASTVisitor::TraverseDecl(D);
  if (F)
    FnStack.pop_back();
  return R;
}

/// Library code (system headers) matters only where it is instantiated with
/// user types, and there for two facts: which library classes contain a user
/// object (`std::optional<Cache>`, `std::pair<K, Cache>`: their fields and
/// bases, for static instances), and which user classes the library
/// constructs (`std::vector<Cache>`, `std::make_unique<Cache>()`: such objects
/// are short-lived). The construction happens in a function template
/// instantiated with the class (`allocator_traits::construct<Cache>`,
/// `make_unique<Cache>`), so of library code only the bodies of function
/// template instantiations that mention a user type are walked; of class
/// instantiations that mention one, the fields, bases and member templates.
/// Templates, non-template library code and instantiations with library
/// types only (`std::vector<std::string>`) cannot name user types and are
/// skipped: most of a translation unit.
bool Analysis::traverseSystemPattern(Decl *D) {
  if (const auto *CTD = dyn_cast<ClassTemplateDecl>(D)) {
    if (CTD == CTD->getCanonicalDecl())
      for (ClassTemplateSpecializationDecl *S : CTD->specializations())
        if (S->getSpecializationKind() == TSK_ImplicitInstantiation &&
            !systemClassShape(S))
          return false;
    return true;
  }
  if (const auto *FTD = dyn_cast<FunctionTemplateDecl>(D)) {
    if (FTD == FTD->getCanonicalDecl())
      for (FunctionDecl *S : FTD->specializations())
        if (S->isTemplateInstantiation())
          if (const TemplateArgumentList *Args =
                  S->getTemplateSpecializationArgs())
            if (mentionsUserType(Args->asArray(), 0) && !TraverseDecl(S))
              return false;
    return true;
  }
  if (isa<NamespaceDecl>(D) || isa<LinkageSpecDecl>(D) || isa<ExportDecl>(D))
    return traverseSystemMembers(cast<DeclContext>(D));
  if (const auto *RD = dyn_cast<CXXRecordDecl>(D))
    if (!isa<ClassTemplatePartialSpecializationDecl>(RD))
      return systemClassShape(RD);
  return true;
}

/// A library class (or class instantiation): its fields and bases when it
/// mentions a user type, then its member templates and nested classes.
bool Analysis::systemClassShape(const CXXRecordDecl *RD) {
  if (GaveUp)
    return false;
  if (RD->isLambda() || RD->isInjectedClassName())
    return true;
  const auto *S = dyn_cast<ClassTemplateSpecializationDecl>(RD);
  if (!S)
    return traverseSystemMembers(RD); // std::thread: member templates
  // An instantiation with library types only (std::vector<std::string>)
  // holds nothing of the user's, nor do its member templates construct
  // anything that matters here.
  if (!mentionsUserType(S->getTemplateArgs().asArray(), 0))
    return true;
  if (RD->hasDefinition() && RD == RD->getDefinition()) {
    VisitCXXRecordDecl(const_cast<CXXRecordDecl *>(RD));
    for (FieldDecl *F : RD->fields())
      VisitFieldDecl(F);
  }
  return traverseSystemMembers(RD);
}

bool Analysis::traverseSystemMembers(const DeclContext *DC) {
  for (Decl *Child : DC->decls())
    if ((isa<NamespaceDecl>(Child) || isa<LinkageSpecDecl>(Child) ||
         isa<ExportDecl>(Child) || isa<CXXRecordDecl>(Child) ||
         isa<ClassTemplateDecl>(Child) || isa<FunctionTemplateDecl>(Child)) &&
        !traverseSystemPattern(Child))
      return false;
  return true;
}

/// Whether \p T names a type declared outside system headers (a user class
/// or enum, a lambda), directly or through pointers, arrays, functions or
/// template arguments.
bool Analysis::mentionsUserType(QualType T, unsigned Depth) const {
  if (T.isNull() || Depth > 12)
    return false;
  const Type *Ty = T.getCanonicalType().getTypePtr();
  auto Known = UserTypeMemo.find(Ty);
  if (Known != UserTypeMemo.end())
    return Known->second;
  bool R = mentionsUserTypeUncached(Ty, Depth);
  UserTypeMemo[Ty] = R;
  return R;
}

bool Analysis::mentionsUserTypeUncached(const Type *Ty, unsigned Depth) const {
  if (Ty->isPointerType() || Ty->isReferenceType())
    return mentionsUserType(Ty->getPointeeType(), Depth + 1);
  if (const auto *MP = dyn_cast<MemberPointerType>(Ty))
    return mentionsUserType(MP->getPointeeType(), Depth + 1) ||
           (MP->getMostRecentCXXRecordDecl() &&
            !inSystemHeader(MP->getMostRecentCXXRecordDecl()->getLocation()));
  if (const ArrayType *AT = Ty->getAsArrayTypeUnsafe())
    return mentionsUserType(AT->getElementType(), Depth + 1);
  if (const auto *FT = dyn_cast<FunctionProtoType>(Ty)) {
    if (mentionsUserType(FT->getReturnType(), Depth + 1))
      return true;
    for (QualType P : FT->param_types())
      if (mentionsUserType(P, Depth + 1))
        return true;
    return false;
  }
  if (const TagDecl *TD = Ty->getAsTagDecl()) {
    if (!inSystemHeader(TD->getLocation()))
      return true;
    if (const auto *S = dyn_cast<ClassTemplateSpecializationDecl>(TD))
      return mentionsUserType(S->getTemplateArgs().asArray(), Depth + 1);
  }
  return false;
}

bool Analysis::mentionsUserType(ArrayRef<TemplateArgument> Args,
                                unsigned Depth) const {
  if (Depth > 12)
    return false;
  for (const TemplateArgument &A : Args)
    switch (A.getKind()) {
    case TemplateArgument::Type:
      if (mentionsUserType(A.getAsType(), Depth))
        return true;
      break;
    case TemplateArgument::Pack:
      if (mentionsUserType(A.pack_elements(), Depth + 1))
        return true;
      break;
    default:
      break;
    }
  return false;
}

bool Analysis::TraverseVarDecl(VarDecl *V) {
  bool Init = V && !isa<ParmVarDecl>(V) && livesForProgram(V) && V->hasInit();
  if (Init)
    if (const auto *C = dyn_cast<CallExpr>(ignoreTransparent(V->getInit()))) {
      // static bool Done = [] { ... }();
      const Expr *Callee = C->getCallee();
      if (const auto *OC = dyn_cast<CXXOperatorCallExpr>(C))
        if (OC->getOperator() == OO_Call && OC->getNumArgs() > 0)
          Callee = OC->getArg(0);
      if (const auto *L = dyn_cast<LambdaExpr>(ignoreTransparent(Callee)))
        StartUpLambdas.insert(L);
    }
  if (Init)
    ++StartUpDepth;
  bool R = RecursiveASTVisitor::TraverseVarDecl(V);
  if (Init)
    --StartUpDepth;
  return R;
}

bool Analysis::isOnceCall(const CallExpr *C) const {
  const FunctionDecl *FD = C ? C->getDirectCallee() : nullptr;
  return FD && Opts.OnceFunctions.matches(FD);
}

bool Analysis::TraverseCallExpr(CallExpr *C) {
  bool Once = isOnceCall(C);
  if (Once) {
    ++StartUpDepth;
    for (const Expr *A : C->arguments()) {
      // Possibly wrapped: std::function<void()> F = [&] { ... }.
      const Expr *S = ignoreTransparent(A);
      for (unsigned I = 0; I < 3; ++I)
        if (const auto *CE = dyn_cast<CXXConstructExpr>(S);
            CE && CE->getNumArgs() == 1)
          S = ignoreTransparent(CE->getArg(0));
      if (const auto *L = dyn_cast<LambdaExpr>(S))
        StartUpLambdas.insert(L);
    }
  }
  bool R = RecursiveASTVisitor::TraverseCallExpr(C);
  if (Once)
    --StartUpDepth;
  return R;
}

bool Analysis::TraverseLambdaExpr(LambdaExpr *L) {
  // A lambda body runs when the lambda is called, maybe long after the
  // code around it (a handler registered at start-up).
  unsigned SavedStartUp = StartUpDepth;
  bool Later = !StartUpLambdas.count(L);
  StartUpDepth = Later ? 0 : 1;
  if (Later)
    LambdaStack.push_back(L);
  bool R = RecursiveASTVisitor::TraverseLambdaExpr(L);
  if (Later)
    LambdaStack.pop_back();
  StartUpDepth = SavedStartUp;
  return R;
}

bool Analysis::VisitCXXForRangeStmt(CXXForRangeStmt *S) {
  if (const VarDecl *LV = S->getLoopVariable())
    if (S->getRangeInit()) {
      LoopRanges[LV] = S->getRangeInit();
      RangeLoopVars[S->getRangeInit()->IgnoreParenImpCasts()] = LV;
    }
  return true;
}

/// The callables handed to a call_once: a function (its calls run once) or
/// a lambda stored in a variable (`auto Init = [&] {...}; call_once(F, Init)`).
void Analysis::noteOnceCallables(const CallExpr *C) {
  for (const Expr *A : C->arguments()) {
    const auto *R = dyn_cast<DeclRefExpr>(ignoreTransparent(A, PeelAddressOf));
    if (!R)
      continue;
    if (const auto *F = dyn_cast<FunctionDecl>(R->getDecl())) {
      CalleeRefs.insert(R);
      OnceCallables.insert(F->getCanonicalDecl());
    } else if (const auto *V = dyn_cast<VarDecl>(R->getDecl())) {
      if (V->getInit())
        if (const auto *L =
                dyn_cast<LambdaExpr>(ignoreTransparent(V->getInit())))
          StartUpLambdas.insert(L);
    }
  }
}

/// `std::bind(&register_scheme, "http")`: a call of register_scheme whose
/// arguments are the bound ones (a placeholder is a run-time value).
void Analysis::noteBoundCall(const CallExpr *C) {
  const FunctionDecl *Bind = C->getDirectCallee();
  if (!Bind || !Bind->isInStdNamespace() || !Bind->getIdentifier() ||
      (Bind->getName() != "bind" && Bind->getName() != "bind_front") ||
      C->getNumArgs() == 0)
    return;
  const auto *R =
      dyn_cast<DeclRefExpr>(ignoreTransparent(C->getArg(0), PeelAddressOf));
  const auto *F = R ? dyn_cast<FunctionDecl>(R->getDecl()) : nullptr;
  if (!F)
    return;
  CalleeRefs.insert(R);
  const auto *MD = dyn_cast<CXXMethodDecl>(F);
  unsigned Offset = MD && !MD->isStatic() ? 2 : 1;
  Calls[F->getCanonicalDecl()].push_back({C, here(), Offset, true});
}

bool Analysis::VisitCallExpr(CallExpr *C) {
  SiteContext Here = here();
  noteStoredCreation(C);
  noteBoundCall(C);
  if (const auto *Callee =
          dyn_cast_or_null<DeclRefExpr>(C->getCallee()->IgnoreParenImpCasts()))
    CalleeRefs.insert(Callee);
  const FunctionDecl *FD = C->getDirectCallee();
  if (!FD)
    return true;
  if (isOnceCall(C))
    noteOnceCallables(C);
  if (const IdentifierInfo *II = FD->getIdentifier()) {
    if (II->getName() == "g_hash_table_iter_remove" ||
        II->getName() == "g_hash_table_iter_steal")
      IterShrinkFns.insert(Here.Fn);
  }
  Calls[FD->getCanonicalDecl()].push_back({C, Here});
  return true;
}

bool Analysis::VisitCXXConstructExpr(CXXConstructExpr *C) {
  SiteContext Here = here();
  if (isa<CXXTemporaryObjectExpr>(C))
    noteRecordInstance(C->getType(), /*Static=*/false);
  if (!Here.Dependent && C->getConstructor())
    Calls[C->getConstructor()->getCanonicalDecl()].push_back({C, Here});
  return true;
}

/// The container kind of a variable or field that may be a tracked
/// container (program lifetime, or a member of a possibly static object);
/// none otherwise.
std::optional<ContainerKind> Analysis::containerKindOf(const ValueDecl *D,
                                                       bool &Pointer) const {
  Pointer = false;
  if (const auto *V = dyn_cast<VarDecl>(D)) {
    if (isa<ParmVarDecl>(V) || V->getDeclContext()->isDependentContext() ||
        !isLongLived(V))
      return std::nullopt;
    QualType T = V->getType();
    if (T->isReferenceType()) {
      // static auto &Cache = *new std::map<...>;
      const auto *U = dyn_cast_or_null<UnaryOperator>(
          V->getInit() ? ignoreTransparent(V->getInit()) : nullptr);
      if (!U || U->getOpcode() != UO_Deref ||
          !isa<CXXNewExpr>(ignoreTransparent(U->getSubExpr())))
        return std::nullopt;
      return Model.classifyObjectType(T.getNonReferenceType());
    }
    Pointer = T->isPointerType();
    if (Pointer && !T->getPointeeType().isConstQualified())
      if (std::optional<ContainerKind> K = Model.classifyPointerType(T))
        return K;
    return Pointer ? classifyObject(T->getPointeeType()) : classifyObject(T);
  }
  const auto *F = dyn_cast<FieldDecl>(D);
  if (!F || F->getParent()->isDependentContext() ||
      Model.isBoundedType(F->getParent()))
    return std::nullopt;
  QualType T = F->getType();
  if (T->isReferenceType())
    return std::nullopt;
  Pointer = T->isPointerType();
  if (Pointer)
    if (std::optional<ContainerKind> K = Model.classifyPointerType(T))
      return K;
  return Pointer ? classifyObject(T->getPointeeType()) : classifyObject(T);
}

/// Model.classifyObjectType, and the structs of the project's own C
/// container API (GrowFunctions): `struct list Pending;` or, held through a
/// pointer, `struct rb_root *Tree;` (a struct of its own is not a pointer
/// type of the model's).
std::optional<ContainerKind> Analysis::classifyObject(QualType T) const {
  if (std::optional<ContainerKind> K = Model.classifyObjectType(T))
    return K;
  if (CApiRecords.empty() || T.isNull() || T.isConstQualified())
    return std::nullopt;
  if (const RecordDecl *RD = T->getAsRecordDecl()) {
    RD = RD->getDefinition() ? RD->getDefinition() : RD;
    if (CApiRecords.count(RD)) {
      PrintingPolicy PP(Ctx.getLangOpts());
      PP.SuppressTagKeyword = false;
      return ContainerModel::cApiKind(RD,
                                      T.getUnqualifiedType().getAsString(PP));
    }
  }
  return std::nullopt;
}

Entity *Analysis::entityFor(const ValueDecl *D) {
  // One entity per variable: a static data member of a class template
  // instantiation is declared in the class and defined out of line.
  if (const auto *V = dyn_cast<VarDecl>(D); V && V->isStaticDataMember())
    D = V->getCanonicalDecl();
  auto It = EntityIndex.find(D);
  if (It != EntityIndex.end())
    return It->second < 0 ? nullptr : &Entities[It->second];
  int &Slot = EntityIndex[D];
  Slot = -1;
  if (inSystemHeader(D->getLocation()) || D->isInvalidDecl())
    return nullptr;
  bool Pointer = false;
  std::optional<ContainerKind> K = containerKindOf(D, Pointer);
  if (!K)
    return nullptr;
  // A map of containers: its inner level is judged on its own (also under
  // finite outer keys: `map<Kind, vector<T>>`).
  QualType T = D->getType().getNonReferenceType();
  if (T->isPointerType())
    T = T->getPointeeType();
  std::optional<ContainerKind> In = Model.classifyMappedType(T);
  if (In && In->FiniteKeys)
    In.reset();
  if (K->FiniteKeys && !In)
    return nullptr;
  int Index = static_cast<int>(Entities.size());
  Slot = Index;
  Entities.emplace_back();
  Entities.back().D = D;
  Entities.back().Kind = *K;
  Entities.back().Pointer = Pointer;
  if (In) {
    Entities[Index].Inner = static_cast<int>(Entities.size());
    Entities.emplace_back();
    Entities.back().D = D;
    Entities.back().Kind = *In;
    Entities.back().Nested = true;
  }
  return &Entities[Index];
}

/// Records \p E as a reference to \p D when D is a tracked container; false
/// when the translation unit has too many references to analyse.
bool Analysis::addReference(const ValueDecl *D, const Expr *E) {
  Entity *En = entityFor(D);
  if (!En)
    return true;
  if (++RefCount > Opts.MaxReferences) {
    GaveUp = true;
    return false;
  }
  En->Refs.push_back({E, here()});
  return true;
}

/// A use of a static data member of a class template pattern (in an
/// uninstantiated member function): judged for every instantiation of it.
void Analysis::notePatternReference(const ValueDecl *D, const Expr *E) {
  const auto *V = dyn_cast<VarDecl>(D);
  if (V && V->isStaticDataMember() && V->getDeclContext()->isDependentContext())
    PatternRefs[V->getCanonicalDecl()].push_back({E, here()});
}

bool Analysis::VisitDeclRefExpr(DeclRefExpr *E) {
  const ValueDecl *D = E->getDecl();
  if (const auto *F = dyn_cast<FunctionDecl>(D)) {
    if (!CalleeRefs.count(E))
      AddressTaken.insert(F->getCanonicalDecl());
    return true;
  }
  notePatternReference(D, E);
  return !isa<VarDecl>(D) || addReference(D, E);
}

bool Analysis::VisitMemberExpr(MemberExpr *E) {
  const ValueDecl *D = E->getMemberDecl();
  if (const auto *M = dyn_cast<CXXMethodDecl>(D)) {
    // A virtual function may be called through a base: unknown callers.
    if (M->isVirtual())
      AddressTaken.insert(M->getCanonicalDecl());
    return true;
  }
  notePatternReference(D, E);
  return !(isa<FieldDecl>(D) || isa<VarDecl>(D)) || addReference(D, E);
}

// --- results -----------------------------------------------------------------

/// The uses of a registry accessor (`registry()[Key] = ...`) are uses of its
/// static: classified unless other translation units may call it too.
void Analysis::followAccessor(Entity &E) {
  const FunctionDecl *A = E.Accessor->getCanonicalDecl();
  if (AddressTaken.count(A) || (!visibleOnlyInThisTU(A, SM) &&
                                !Opts.AssumeExternalContainersUnbounded)) {
    // The static of an inline function in a header: other translation
    // units call the accessor and may shrink what it returns.
    if (!visibleOnlyInThisTU(cast<NamedDecl>(E.D), SM))
      E.Escaped = true;
    return;
  }
  auto It = Calls.find(A);
  if (It == Calls.end())
    return;
  for (const CallSite &S : It->second) {
    Reference R{S.Call, S.Ctx};
    classifyUse(E, S.Call, /*ViaPointer=*/false, R);
    if (E.done())
      return;
  }
}

/// Classifies the uses of \p E until one shrinks it or lets it escape.
void Analysis::judge(Entity &E) {
  // A map of containers: every use is classified, so that the uses of its
  // inner containers are all collected (unless it escapes).
  auto Finished = [&E] { return E.Inner < 0 ? E.done() : E.Escaped; };
  for (const Reference &R : E.Refs) {
    classifyUse(E, R.E, E.Pointer, R);
    if (Finished())
      return;
  }
  // Shrinks written in the class template (member functions this
  // translation unit does not instantiate) shrink every instantiation.
  if (const auto *V = dyn_cast<VarDecl>(E.D))
    if (const VarDecl *P = V->getInstantiatedFromStaticDataMember()) {
      auto It = PatternRefs.find(P->getCanonicalDecl());
      if (It != PatternRefs.end())
        for (const Reference &R : It->second) {
          classifyUse(E, R.E, E.Pointer, R);
          if (Finished())
            return;
        }
    }
  if (E.Accessor)
    followAccessor(E);
  for (const FunctionDecl *F : E.IterInits)
    if (IterShrinkFns.count(F))
      E.Shrunk = true;
}

/// The grows of \p E outside start-up code with a run-time key, one per
/// line, in source order.
std::vector<ContainerGrowth> Analysis::runTimeGrowths(const Entity &E) {
  std::vector<ContainerGrowth> Out;
  llvm::DenseSet<unsigned> SeenLoc;
  bool ThroughLocal = livesThroughLocal(E);
  for (const GrowSite &G : E.Grows) {
    if (G.Ctx.StartUp || (G.Ctx.Lambda ? StartUpLambdas.count(G.Ctx.Lambda) != 0
                                       : isStartUpOnly(G.Ctx.Fn, 0)))
      continue;
    // Held by a local of main(): only growth this file shows repeating.
    if (ThroughLocal && !G.Ctx.Lambda &&
        !runsRepeatedly(G.Ctx.Fn, G.Call, 0, /*OwnLoop=*/true))
      continue;
    KeyInfo K;
    for (const Expr *Key : G.Keys) {
      K = keyOf(Key, 0);
      if (K.RunTime)
        break;
    }
    // A sequence grows by one element per call even with a constant value;
    // a map or set with a constant key holds one entry.
    bool Constant = !K.RunTime && !E.Kind.Associative && !G.Ctx.Lambda &&
                    runsRepeatedly(G.Ctx.Fn, G.Call, 0);
    if (Constant)
      K = {true, "a constant, on every call"};
    if (!K.RunTime || guardedBySize(E, G))
      continue;
    SourceLocation L = G.Call ? G.Call->getExprLoc() : SourceLocation();
    if (const auto *MC = dyn_cast_or_null<CXXMemberCallExpr>(G.Call))
      if (const auto *ME = dyn_cast<MemberExpr>(MC->getCallee()))
        L = ME->getMemberLoc();
    L = SM.getExpansionLoc(L); // the line that uses a macro
    if (!SeenLoc.insert(L.getRawEncoding()).second)
      continue;
    Out.push_back({G.Call, L, G.Operation, G.Keyed, K.Source, Constant,
                   K.NoteLoc, K.NoteText});
  }
  std::sort(Out.begin(), Out.end(),
            [&](const ContainerGrowth &A, const ContainerGrowth &B) {
              return SM.isBeforeInTranslationUnit(A.Loc, B.Loc);
            });
  return Out;
}

/// The inner level of a map of containers \p Outer: reported when the
/// inner containers only grow with run-time keys and the outer level is not
/// reported itself (trimmed, capped, keyed by constants or by a finite type).
/// Every use of the outer level that reaches an inner container was
/// followed (operator[], at(), find()->second) or made it unknown (Escaped).
void Analysis::judgeInner(const Entity &Outer, bool OuterReported,
                          std::vector<UnboundedContainer> &Out) {
  if (Outer.Inner < 0)
    return;
  Entity &In = Entities[Outer.Inner];
  In.Escaped |= Outer.Escaped;
  In.Shrunk |= Outer.Emptied;
  if (!In.done())
    judge(In);
  if (OuterReported || In.done() || In.SizeBounded || In.Grows.empty())
    return;
  std::vector<ContainerGrowth> Growths = runTimeGrowths(In);
  if (Growths.empty())
    return;
  Out.push_back(finding(In, std::move(Growths)));
  Out.back().Nested = true;
  Out.back().OuterKind = Outer.Kind;
}

UnboundedContainer
Analysis::finding(const Entity &E, std::vector<ContainerGrowth> Growths) const {
  UnboundedContainer U;
  U.Decl = E.D;
  U.Kind = E.Kind;
  U.Storage = storageKind(E.D);
  U.Scope = storageScope(E.D);
  if (const auto *F = dyn_cast<FieldDecl>(E.D))
    U.Owner = qualifiedName(F->getParent());
  U.Growths = std::move(Growths);
  for (const SizeTest &T : E.SizeTests) {
    SourceLocation L = SM.getExpansionLoc(T.Cmp->getExprLoc());
    if (SM.isInMainFile(L)) {
      U.UnguardingSizeTest = L;
      break;
    }
  }
  if (const auto *V = dyn_cast<VarDecl>(E.D); V && !livesForProgram(V)) {
    U.LongLivedLoc = V->getLocation();
    U.LongLivedWhy = PF.whyLivesForProcess(V);
  } else if (const auto *F = dyn_cast<FieldDecl>(E.D)) {
    const RecordDecl *RD = F->getParent();
    auto It = StaticWhy.find(RD->getDefinition() ? RD->getDefinition() : RD);
    if (It != StaticWhy.end()) {
      U.LongLivedLoc = It->second.Loc;
      U.LongLivedWhy = It->second.Why;
    }
  }
  // At the declaration; when that is in a header (a member of a class
  // implemented in this file), at the first growing call in this file, so
  // that the default header filter does not hide it.
  U.ReportLoc = E.D->getLocation();
  if (!SM.isInMainFile(SM.getExpansionLoc(U.ReportLoc)))
    for (const ContainerGrowth &G : U.Growths)
      if (SM.isInMainFile(G.Loc)) {
        U.ReportLoc = G.Loc;
        break;
      }
  return U;
}

std::vector<UnboundedContainer> Analysis::run() {
  std::vector<UnboundedContainer> Out;
  // A program that plainly ends soon (a benchmark, a test driver) keeps
  // its caches only until it exits (its facts still count for others).
  const FunctionDecl *Main = PF.mainFunction();
  bool EndsSoon = Main && PF.endsSoon(Main);
  if (EndsSoon && !Facts.exporting())
    return Out;
  CApiRecords = Model.cApiRecords(Ctx);
  TraverseDecl(Ctx.getTranslationUnitDecl());
  if (GaveUp)
    return Out;
  propagateInstances();
  for (Entity &E : Entities) {
    if (E.Nested)
      continue; // judged with its outer level
    if (const auto *F = dyn_cast<FieldDecl>(E.D))
      if (!isStaticOnlyRecord(F->getParent())) {
        exportUntrackedMember(E); // a trim here counts for the project
        continue; // a member of a short-lived (or never static) object
      }
    // Other TUs may use it: judged here only when the option assumes the
    // worst or project facts tell what they do.
    bool Shared = !everyNamedUseVisibleHere(cast<NamedDecl>(E.D), SM);
    if (Shared && !Opts.AssumeExternalContainersUnbounded && !Facts.active())
      continue;
    judge(E);
    // Exported also when every named use is visible here: a TU that sees
    // only some of them (a member's class implemented here, used elsewhere)
    // asks the store.
    bool Export = Facts.exporting() && ProjectFacts::visibleToOtherTUs(E.D);
    std::vector<ContainerGrowth> Growths;
    if (!E.done() && !E.Grows.empty() && (!E.SizeBounded || Export))
      Growths = runTimeGrowths(E);
    if (Export)
      exportContainer(E, Growths);
    if (EndsSoon)
      continue;
    bool Reported = false;
    std::vector<ProjectNote> Notes;
    if (!E.Shrunk && !E.Escaped && !E.SizeBounded && !Growths.empty() &&
        !E.Kind.FiniteKeys && (!Shared || unboundedInProject(E, Notes))) {
      Out.push_back(finding(E, std::move(Growths)));
      Out.back().ProjectNotes = std::move(Notes);
      Reported = true;
    }
    if (!Shared)
      judgeInner(E, Reported, Out);
  }
  // One finding per declaration (template instantiations share one).
  std::sort(Out.begin(), Out.end(),
            [&](const UnboundedContainer &A, const UnboundedContainer &B) {
              return SM.isBeforeInTranslationUnit(A.Decl->getLocation(),
                                                  B.Decl->getLocation());
            });
  Out.erase(
      std::unique(Out.begin(), Out.end(),
                  [](const UnboundedContainer &A, const UnboundedContainer &B) {
                    return A.Decl->getLocation() == B.Decl->getLocation();
                  }),
      Out.end());
  return Out;
}
} // namespace containeruse

std::vector<UnboundedContainer>
findUnboundedContainers(ASTContext &Ctx, const ContainerModel &Model,
                        const ContainerUseOptions &Opts) {
  containeruse::Analysis A(Ctx, Model, Opts);
  return A.run();
}

} // namespace leaklib
} // namespace clang
