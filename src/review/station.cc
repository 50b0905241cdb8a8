#include "review/station.h"

namespace bescheid::review {

Station::~Station() = default;

}  // namespace bescheid::review
