# SPDX-License-Identifier: MIT
# Application resources (icons, the dashboard), compiled into simdesk_ui.
qt_add_resources(simdesk_ui simdesk_resources
    PREFIX /
    BASE ${CMAKE_CURRENT_LIST_DIR}
    FILES ${CMAKE_CURRENT_LIST_DIR}/icons/simdesk.svg)
include(${CMAKE_CURRENT_LIST_DIR}/dashboard/dashboard.cmake)
