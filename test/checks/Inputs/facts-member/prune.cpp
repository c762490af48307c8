#include "registry.h"

// Removes the closed entries (no Registry lives for the process here).
void Registry::prune() {
  for (std::size_t I = 0; I < Items.size(); ++I)
    if (Items[I]->Fd < 0)
      Items.erase(Items.begin() + I--);
}
