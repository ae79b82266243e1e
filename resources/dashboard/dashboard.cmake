# SPDX-License-Identifier: MIT
# The dashboard's web assets (qrc:/dashboard/...), compiled into simdesk_ui. Included from
# ui/CMakeLists.txt (through resources.cmake) so the custom command lives in the target's folder.
#
# D3 comes from npm, pinned by package-lock.json: `npm ci` runs at build time in the BUILD folder
# (never in the source tree), and only d3's dist file is compiled in. The app itself never
# touches the network: everything the page loads is in the Qt resources.
find_program(SIMDESK_NPM npm REQUIRED)

set(_dash_src ${CMAKE_CURRENT_LIST_DIR})
set(_dash_npm ${CMAKE_CURRENT_BINARY_DIR}/dashboard-npm)
set(_dash_d3 ${_dash_npm}/node_modules/d3/dist/d3.min.js)

# npm runs in the folder through `cmake -E chdir`, not WORKING_DIRECTORY: a generator enters the
# WORKING_DIRECTORY before the first command (Unix Makefiles writes `cd <dir> && ...` in front of
# each one), so it cannot be a folder that the first command creates.
add_custom_command(OUTPUT ${_dash_d3}
    COMMAND ${CMAKE_COMMAND} -E make_directory ${_dash_npm}
    COMMAND ${CMAKE_COMMAND} -E copy_if_different
        ${_dash_src}/package.json ${_dash_src}/package-lock.json ${_dash_npm}
    # --ignore-scripts: d3 needs none, and a build runs nothing it downloaded.
    COMMAND ${CMAKE_COMMAND} -E chdir ${_dash_npm}
        ${SIMDESK_NPM} ci --ignore-scripts --no-audit --no-fund --loglevel=error
    COMMAND ${CMAKE_COMMAND} -E touch ${_dash_d3}
    DEPENDS ${_dash_src}/package.json ${_dash_src}/package-lock.json
    COMMENT "npm ci: D3 for the dashboard (package-lock.json)"
    VERBATIM)

# Our own files: every file under resources/dashboard that the page serves.
file(GLOB_RECURSE _dash_files CONFIGURE_DEPENDS
    ${_dash_src}/*.html ${_dash_src}/*.css ${_dash_src}/*.js)
list(FILTER _dash_files EXCLUDE REGEX "/node_modules/")

qt_add_resources(simdesk_ui simdesk_dashboard
    PREFIX /dashboard
    BASE ${_dash_src}
    FILES ${_dash_files})

set_source_files_properties(${_dash_d3} PROPERTIES GENERATED TRUE QT_RESOURCE_ALIAS vendor/d3.min.js)
qt_add_resources(simdesk_ui simdesk_dashboard_vendor
    PREFIX /dashboard
    FILES ${_dash_d3})
