//===--- RetainedSliceCheck.cpp - leak-tidy
//----------------------------------===//
#include "checks/RetainedSliceCheck.h"
#include "lib/core/ParentIndex.h"
#include "clang/AST/ASTContext.h"
#include "clang/ASTMatchers/ASTMatchFinder.h"
#include <algorithm>
#include <climits>

using namespace clang::ast_matchers;
using namespace clang::leaklib;

namespace clang::tidy::leak {

namespace {

AST_MATCHER_P(NamedDecl, inNames, const leaklib::NameMatcher *, Names) {
  return Names->matches(&Node);
}

AST_MATCHER(Expr, hasContainerType) {
  return bufferFamily(Node.getType()) != BufferFamily::None;
}

AST_MATCHER(CXXRecordDecl, hasContainerField) {
  if (!Node.hasDefinition())
    return false;
  for (const FieldDecl *F : Node.fields())
    if (bufferFamily(F->getType()) != BufferFamily::None)
      return true;
  return false;
}

bool isTemplated(const DeclContext *DC) {
  return DC && DC->isDependentContext();
}

} // namespace

RetainedSliceCheck::RetainedSliceCheck(StringRef Name,
                                       ClangTidyContext *Context)
    : LeakCheck(Name, Context), SliceTypes(nameListOption("SliceTypes", "")),
      SlicingFunctions(
          nameListOption("SlicingFunctions", "g_bytes_new_from_bytes")),
      OwnerTypes(
          nameListOption("OwnerTypes", "std::shared_ptr;boost::shared_ptr")),
      LargeBufferBytes(unsignedOption("LargeBufferBytes", 4096, 1, UINT_MAX)) {
  Wrappers.add(OwnerTypes.names());
  Wrappers.add(SliceTypes.names());
  Kinds.parse(listOption(
      "StorageKinds", leaklib::StorageKinds::defaultNames(),
      [](StringRef E) -> std::string {
        leaklib::StorageKinds Probe;
        if (Probe.parse({E.str()}).empty())
          return "";
        return "'" + E.str() +
               "' is not a storage kind (Globals, StaticLocals, ThreadLocals, "
               "StaticObjectMembers, DataMembers)";
      }));
}

void RetainedSliceCheck::registerMatchers(MatchFinder *Finder) {
  // Uses in system headers are never reported; skipping them first keeps
  // the ancestor walks (inTemplateInstantiation) away from library code.
  auto UserCode = unless(isExpansionInSystemHeader());
  // Form 1: owning aliases of part of a buffer.
  auto AliasConstruction =
      cxxConstructExpr(UserCode, argumentCountIs(2),
                       hasDeclaration(cxxConstructorDecl(
                           ofClass(cxxRecordDecl(inNames(&OwnerTypes))))))
          .bind("alias");
  Finder->addMatcher(AliasConstruction, this);
  if (!SliceTypes.empty()) {
    auto SliceType = hasType(hasUnqualifiedDesugaredType(
        recordType(hasDeclaration(cxxRecordDecl(inNames(&SliceTypes))))));
    Finder->addMatcher(expr(UserCode, anyOf(cxxConstructExpr(SliceType),
                                            initListExpr(SliceType)))
                           .bind("slice"),
                       this);
  }
  if (!SlicingFunctions.empty())
    Finder->addMatcher(
        callExpr(UserCode, callee(functionDecl(inNames(&SlicingFunctions))))
            .bind("slicing"),
        this);
  // Form 2: interior pointers into heap blocks.
  auto InteriorPointer =
      expr(UserCode,
           anyOf(binaryOperator(hasAnyOperatorName("+", "-"),
                                hasType(pointerType())),
                 unaryOperator(
                     hasOperatorName("&"),
                     hasUnaryOperand(ignoringParens(arraySubscriptExpr())))),
           unless(inTemplateInstantiation()))
          .bind("interior");
  Finder->addMatcher(InteriorPointer, this);
  // Form 3: every use of a long-lived container or a container member.
  auto ContainerVarRef =
      declRefExpr(UserCode, to(varDecl(hasGlobalStorage())), hasContainerType(),
                  unless(inTemplateInstantiation()))
          .bind("cref");
  auto ContainerMemberRef = memberExpr(UserCode, hasContainerType(),
                                       member(anyOf(fieldDecl(), varDecl())),
                                       unless(inTemplateInstantiation()))
                                .bind("cref");
  Finder->addMatcher(ContainerVarRef, this);
  Finder->addMatcher(ContainerMemberRef, this);
  // Assigning a whole object replaces its container members.
  Finder->addMatcher(
      cxxOperatorCallExpr(
          UserCode, hasOverloadedOperatorName("="),
          hasArgument(
              0, hasType(hasUnqualifiedDesugaredType(recordType(hasDeclaration(
                     cxxRecordDecl(hasContainerField()).bind("assigned")))))))
          .bind("wholeassign"),
      this);
}

void RetainedSliceCheck::onStartOfTranslationUnit() {
  Ctx = nullptr;
  Index.reset();
  ReportedStores.clear();
  Containers.clear();
  WholeObjectAssigned.clear();
}

void RetainedSliceCheck::check(const MatchFinder::MatchResult &Result) {
  ASTContext &C = *Result.Context;
  if (Ctx != &C) {
    Ctx = &C;
    Index = std::make_unique<StaticInstanceIndex>(C);
  }
  if (const auto *CE = Result.Nodes.getNodeAs<CXXConstructExpr>("alias")) {
    // shared_ptr(const shared_ptr<Y> &owner, T *p): the aliasing constructor.
    const CXXConstructorDecl *Ctor = CE->getConstructor();
    if (!Ctor || Ctor->getNumParams() != 2 ||
        !Ctor->getParamDecl(1)->getType()->isPointerType())
      return;
    QualType P0 = Ctor->getParamDecl(0)->getType().getNonReferenceType();
    const CXXRecordDecl *RD = P0->getAsCXXRecordDecl();
    if (!RD || !OwnerTypes.matches(RD))
      return;
    checkSlice(CE, CE->getArg(0), SliceKind::Alias, C);
    return;
  }
  if (const auto *E = Result.Nodes.getNodeAs<Expr>("slice")) {
    llvm::SmallVector<const Expr *, 4> Parts;
    if (const auto *CE = dyn_cast<CXXConstructExpr>(E))
      Parts.append(CE->arg_begin(), CE->arg_end());
    else if (const auto *IL = dyn_cast<InitListExpr>(E))
      for (const Expr *Init : IL->inits())
        Parts.push_back(Init);
    for (const Expr *Part : Parts) {
      if (!Part)
        continue;
      const CXXRecordDecl *RD =
          Part->getType().getNonReferenceType()->getAsCXXRecordDecl();
      if (RD && OwnerTypes.matches(RD)) {
        checkSlice(E, Part, SliceKind::UserSlice, C);
        return;
      }
    }
    return;
  }
  if (const auto *Call = Result.Nodes.getNodeAs<CallExpr>("slicing")) {
    if (Call->getNumArgs() >= 1)
      checkSlice(Call, Call->getArg(0), SliceKind::SlicingCall, C);
    return;
  }
  if (const auto *E = Result.Nodes.getNodeAs<Expr>("interior")) {
    checkInteriorPointer(E, C);
    return;
  }
  if (const auto *Ref = Result.Nodes.getNodeAs<Expr>("cref")) {
    const ValueDecl *D = nullptr;
    if (const auto *DRE = dyn_cast<DeclRefExpr>(Ref))
      D = DRE->getDecl();
    else if (const auto *ME = dyn_cast<MemberExpr>(Ref))
      D = ME->getMemberDecl();
    if (D)
      recordContainerUse(Ref, D, C);
    return;
  }
  if (const auto *RD = Result.Nodes.getNodeAs<CXXRecordDecl>("assigned"))
    WholeObjectAssigned.insert(RD->getCanonicalDecl());
}

bool RetainedSliceCheck::storageAllowed(const LongLivedStorage &S) const {
  return S && Kinds.allows(S.Kind);
}

std::vector<Sink> RetainedSliceCheck::longLivedSinks(const Expr *Site,
                                                     ASTContext &C,
                                                     bool RawPointer) {
  std::vector<Sink> Out;
  Sink S = findSink(Site, C, Index.get(), RawPointer, Wrappers);
  if (S.Storage) {
    Out.push_back(S);
  } else if (S.Local) {
    for (Sink L :
         longLivedSinksOfLocal(S.Local, C, Index.get(), RawPointer, Wrappers)) {
      L.Local = S.Local; // reached through this local variable
      Out.push_back(L);
    }
  }
  Out.erase(
      std::remove_if(Out.begin(), Out.end(),
                     [&](const Sink &K) { return !storageAllowed(K.Storage); }),
      Out.end());
  return Out;
}

void RetainedSliceCheck::checkSlice(const Expr *Site, const Expr *Owner,
                                    SliceKind Kind, ASTContext &C) {
  if (Site->isTypeDependent() || Site->isValueDependent() ||
      Site->containsErrors())
    return;
  std::vector<Sink> Sinks = longLivedSinks(Site, C, /*RawPointer=*/false);
  if (Sinks.empty())
    return;
  BufferOrigin Origin = originOf(Owner, C, OwnerTypes);
  if (Origin.K == BufferOrigin::LongLived)
    return; // the buffer lives for the program anyway: nothing extra is kept
  BufferSize Size = Origin.Size;
  if (Kind != SliceKind::SlicingCall)
    if (std::optional<uint64_t> Fixed = fixedPointeeSize(Owner->getType(), C))
      Size = BufferSize::known(*Fixed); // an object, not a buffer
  if (!Size.isLarge(LargeBufferBytes))
    return;
  for (const Sink &S : Sinks) {
    // One warning per store location (template instantiations share it).
    if (!ReportedStores.insert(S.loc().getRawEncoding()).second)
      continue;
    diag(S.loc(), "slice stored in %select{|an element of }0%1 keeps the "
                  "whole buffer alive (%2)")
        << S.Storage.InContainer << cast<NamedDecl>(S.Storage.Root)
        << Size.describe();
    if (S.Local)
      diag(Site->getBeginLoc(), "the slice is made here", DiagnosticIDs::Note);
    switch (Origin.K) {
    case BufferOrigin::Parameter:
      diag(Origin.Var->getLocation(),
           "the retained buffer comes from parameter %0", DiagnosticIDs::Note)
          << Origin.Var;
      break;
    case BufferOrigin::Created:
      diag(Origin.Where->getBeginLoc(), "the retained buffer is allocated here",
           DiagnosticIDs::Note);
      break;
    case BufferOrigin::FunctionResult:
      diag(Origin.Where->getBeginLoc(),
           "the retained buffer is returned by this call", DiagnosticIDs::Note);
      break;
    default:
      if (Origin.Var)
        diag(Origin.Var->getLocation(), "the retained buffer is owned by %0",
             DiagnosticIDs::Note)
            << Origin.Var;
      else
        diag(Owner->getBeginLoc(), "the retained buffer is owned here",
             DiagnosticIDs::Note);
      break;
    }
    if (Kind == SliceKind::SlicingCall)
      diag(S.loc(),
           "copy the part you need into a buffer of its own (e.g. "
           "g_bytes_new(data + offset, length)) so that the parent can be "
           "freed",
           DiagnosticIDs::Note);
    else
      diag(S.loc(),
           "copy the part you need into a buffer of its own (e.g. "
           "std::vector<T>(first, first + n) or std::string(view)) instead "
           "of sharing ownership of the whole buffer",
           DiagnosticIDs::Note);
  }
}

void RetainedSliceCheck::checkInteriorPointer(const Expr *Site, ASTContext &C) {
  if (Site->isTypeDependent() || Site->isValueDependent() ||
      Site->containsErrors())
    return;
  std::optional<InteriorPointer> IP = interiorPointer(Site, C);
  if (!IP)
    return;
  const Expr *Base = IP->Base->IgnoreParenCasts();
  const VarDecl *BaseVar = nullptr;
  std::optional<HeapAllocation> Block = heapAllocation(Base, C);
  if (!Block) {
    const auto *DRE = dyn_cast<DeclRefExpr>(Base);
    BaseVar = DRE ? dyn_cast<VarDecl>(DRE->getDecl()) : nullptr;
    if (!BaseVar || !BaseVar->getType()->isPointerType() ||
        !BaseVar->isLocalVarDecl() || BaseVar->hasGlobalStorage())
      return;
    // Cheap gate before the scan: the variable must come from an allocator
    // (its initialiser) or be declared without one.
    if (BaseVar->getInit() && !heapAllocation(BaseVar->getInit(), C))
      return;
  }
  std::vector<Sink> Sinks = longLivedSinks(Site, C, /*RawPointer=*/true);
  if (Sinks.empty())
    return;
  if (BaseVar) {
    Block = lostHeapBase(BaseVar, C);
    if (!Block)
      return;
  }
  if (!Block->Size.isLarge(LargeBufferBytes))
    return;
  for (const Sink &S : Sinks) {
    if (S.Storage.Root == BaseVar)
      continue;
    // One warning per store location (template instantiations share it).
    if (!ReportedStores.insert(S.loc().getRawEncoding()).second)
      continue;
    diag(S.loc(), "pointer into the middle of a heap block stored in "
                  "%select{|an element of }0%1 keeps the whole block alive "
                  "(%2)")
        << S.Storage.InContainer << cast<NamedDecl>(S.Storage.Root)
        << Block->Size.describe();
    if (BaseVar)
      diag(Block->Alloc->getBeginLoc(),
           "the block is allocated here; its base pointer %0 is never freed "
           "nor kept",
           DiagnosticIDs::Note)
          << BaseVar;
    else
      diag(Block->Alloc->getBeginLoc(),
           "the block is allocated here and its base pointer is dropped",
           DiagnosticIDs::Note);
    diag(S.loc(),
         "copy the part you need into a block of its own (e.g. strndup, or "
         "malloc and memcpy) and free the whole block",
         DiagnosticIDs::Note);
  }
}

void RetainedSliceCheck::recordContainerUse(const Expr *Ref, const ValueDecl *D,
                                            ASTContext &C) {
  BufferFamily F = bufferFamily(Ref->getType());
  if (F == BufferFamily::None || Ref->isTypeDependent() ||
      Ref->containsErrors())
    return;
  D = cast<ValueDecl>(D->getCanonicalDecl());
  ContainerInfo &Info = Containers[D];
  Info.Family = F;
  if (Info.Opaque)
    return;
  if (Info.Uses.size() > 2000) {
    Info.Opaque = true; // too many uses to reason about: stay silent
    return;
  }
  const FunctionDecl *Fn = ParentIndex::get(C).enclosingFunction(*Ref);
  if (Fn && isTemplated(Fn)) {
    Info.Opaque = true; // dependent code: do not guess
    return;
  }
  if (const auto *FD = dyn_cast<FieldDecl>(D)) {
    // Conservative: only `this->field` inside the class's own members.
    const auto *ME = dyn_cast<MemberExpr>(Ref);
    const auto *M = dyn_cast_or_null<CXXMethodDecl>(Fn);
    if (!ME || !isa<CXXThisExpr>(ME->getBase()->IgnoreParenImpCasts()) || !M ||
        M->getParent()->getCanonicalDecl() !=
            FD->getParent()->getCanonicalDecl()) {
      Info.Opaque = true;
      return;
    }
    if (isa<CXXConstructorDecl>(M) || isa<CXXDestructorDecl>(M))
      return; // fills in constructors are initial sizes; dtors free anyway
  }
  BufferUse U = classifyBufferUse(Ref, F, C, LargeBufferBytes, OwnerTypes);
  if (U.Effect == ContainerEffect::Opaque ||
      U.Effect == ContainerEffect::Release) {
    Info.Opaque = true;
    return;
  }
  if (U.Effect == ContainerEffect::Neutral)
    return;
  Info.Uses.push_back({U, Fn});
}

void RetainedSliceCheck::onEndOfTranslationUnit() {
  if (Ctx)
    reportContainers();
  Containers.clear();
}

void RetainedSliceCheck::reportContainers() {
  SourceManager &SM = Ctx->getSourceManager();
  auto InMainFile = [&](SourceLocation L) {
    return L.isValid() && SM.isInMainFile(SM.getExpansionLoc(L));
  };
  for (auto &Entry : Containers) {
    const ValueDecl *D = Entry.first;
    ContainerInfo &Info = Entry.second;
    if (Info.Opaque)
      continue;
    std::vector<RecordedUse> Uses = Info.Uses;
    // Members of ordinary objects: emptying them (clear() in a Reset()) is
    // taken as resetting the object for its next use; only cuts that keep a
    // part are reported.
    bool OnlyPartialCuts = false;
    if (const auto *V = dyn_cast<VarDecl>(D)) {
      if (!hasProgramLifetime(V) || !Kinds.allows(storageKindOf(V)))
        continue;
      // Other translation units could release it: only variables that are
      // declared in this file alone.
      bool Local = true;
      for (const VarDecl *R : V->redecls())
        Local = Local && InMainFile(R->getLocation());
      if (!Local)
        continue;
      // A large initial size: static std::vector<char> g(1 << 20);
      const VarDecl *Def = V->getDefinition();
      if (const auto *CE = dyn_cast_or_null<CXXConstructExpr>(
              Def && Def->getInit() ? Def->getInit()->IgnoreImplicit()
                                    : nullptr);
          CE && CE->getNumArgs() >= 1 &&
          CE->getArg(0)->getType()->isIntegerType()) {
        BufferUse Init;
        Init.Where = CE;
        Init.Size = bytesOf(CE->getArg(0), QualType(),
                            *Ctx); // counted in elements below
        QualType T = V->getType();
        const auto *Spec = dyn_cast_or_null<ClassTemplateSpecializationDecl>(
            T->getAsCXXRecordDecl());
        if (Spec && Spec->getTemplateArgs().size() > 0 &&
            Spec->getTemplateArgs()[0].getKind() == TemplateArgument::Type)
          Init.Size = bytesOf(CE->getArg(0),
                              Spec->getTemplateArgs()[0].getAsType(), *Ctx);
        if (Init.Size.isLarge(LargeBufferBytes)) {
          Init.Effect = ContainerEffect::LargeFill;
          Uses.insert(Uses.begin(), {Init, nullptr});
        }
      }
    } else if (const auto *FD = dyn_cast<FieldDecl>(D)) {
      const CXXRecordDecl *RD = dyn_cast<CXXRecordDecl>(FD->getParent());
      if (!RD || !RD->hasDefinition() || RD->isDependentContext() ||
          isa<ClassTemplateSpecializationDecl>(RD))
        continue;
      bool Static = Index && Index->hasStaticInstance(RD);
      OnlyPartialCuts = !Static || !Kinds.StaticObjectMembers;
      if (!(Static ? Kinds.StaticObjectMembers || Kinds.DataMembers
                   : Kinds.DataMembers))
        continue;
      if (WholeObjectAssigned.count(RD->getCanonicalDecl()))
        continue;
      if (FD->getAccess() == AS_public && !InMainFile(RD->getLocation()))
        continue;
      // Every member function must be visible: one defined elsewhere could
      // release the capacity.
      bool AllDefined = true;
      for (const CXXMethodDecl *M : RD->methods())
        if (!M->isImplicit() && !M->isDeleted() && !M->isDefaulted() &&
            !M->isPureVirtual() && !M->hasBody())
          AllDefined = false;
      for (const Decl *Member : RD->decls())
        if (const auto *FT = dyn_cast<FunctionTemplateDecl>(Member))
          AllDefined = false, (void)FT; // templated members: not analysed
      if (!AllDefined)
        continue;
    } else {
      continue;
    }
    std::sort(Uses.begin(), Uses.end(),
              [&](const RecordedUse &A, const RecordedUse &B) {
                return SM.isBeforeInTranslationUnit(A.Use.Where->getBeginLoc(),
                                                    B.Use.Where->getBeginLoc());
              });
    const RecordedUse *Fill = nullptr;
    for (const RecordedUse &U : Uses)
      if (U.Use.Effect == ContainerEffect::LargeFill) {
        Fill = &U;
        break;
      }
    if (!Fill)
      continue;
    auto IsGrowth = [](const RecordedUse &U) {
      return U.Use.Effect == ContainerEffect::Grow ||
             U.Use.Effect == ContainerEffect::LargeFill;
    };
    for (const RecordedUse &Cut : Uses) {
      if (Cut.Use.Effect != ContainerEffect::Cut || !Cut.Function ||
          (OnlyPartialCuts && Cut.Use.Emptying))
        continue;
      // The scratch-buffer rule: a cut is reuse, not retention, when the
      // same loop grows the container again, when the same function grows
      // it after the cut, or when the cut empties it in a function that
      // also fills it (fill, use, clear: the next call fills it again).
      bool Reuse = false;
      const RecordedUse *SameFunctionFill = nullptr;
      for (const RecordedUse &G : Uses) {
        if (!IsGrowth(G))
          continue;
        if (Cut.Use.Loop && isWithin(G.Use.Where, Cut.Use.Loop, *Ctx))
          Reuse = true;
        if (G.Function == Cut.Function) {
          if (Cut.Use.Emptying ||
              SM.isBeforeInTranslationUnit(Cut.Use.Where->getBeginLoc(),
                                           G.Use.Where->getBeginLoc()))
            Reuse = true;
          else if (G.Use.Effect == ContainerEffect::LargeFill &&
                   !SameFunctionFill)
            SameFunctionFill = &G;
        }
      }
      if (Reuse)
        continue;
      const RecordedUse *Shown = SameFunctionFill ? SameFunctionFill : Fill;
      diag(Cut.Use.Where->getBeginLoc(),
           "%0 is cut down here but keeps the capacity of a large buffer "
           "(%1)")
          << cast<NamedDecl>(D) << Shown->Use.Size.describe();
      diag(Shown->Use.Where->getBeginLoc(), "%0 takes a large buffer here",
           DiagnosticIDs::Note)
          << cast<NamedDecl>(D);
      if (isQtFamily(Info.Family))
        diag(Cut.Use.Where->getBeginLoc(),
             "give the memory back with squeeze() after cutting it down",
             DiagnosticIDs::Note);
      else
        diag(Cut.Use.Where->getBeginLoc(),
             "give the capacity back after cutting it down: call "
             "shrink_to_fit() or swap with an empty container (clear() and "
             "assigning {} keep it)",
             DiagnosticIDs::Note);
      break; // one warning per container
    }
  }
}

} // namespace clang::tidy::leak
