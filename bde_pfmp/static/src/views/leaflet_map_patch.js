import { onWillUpdateProps } from "@odoo/owl";
import { patch } from "@web/core/utils/patch";
import { SearchBar } from "@web/search/search_bar/search_bar";
import { useSearchBarToggler } from "@web/search/search_bar/search_bar_toggler";
import { MapController } from "@web_view_leaflet_map/views/leaflet_map/leaflet_map_controller.esm";
import { MapRenderer } from "@web_view_leaflet_map/views/leaflet_map/leaflet_map_renderer.esm";

// OCA's map shows no search bar and reads its records once, when it opens:
// the host directory's filters (within 10 km, places left...) are chosen on
// the map too, and the pins follow the search.
patch(MapController, {
    components: { ...MapController.components, SearchBar },
});

patch(MapController.prototype, {
    setup() {
        super.setup(...arguments);
        this.searchBarToggler = useSearchBarToggler();
    },
});

patch(MapRenderer.prototype, {
    setup() {
        super.setup(...arguments);
        onWillUpdateProps((nextProps) => this.loadRecords(nextProps));
    },

    async loadRecords(props = this.props) {
        this.records = await this.orm.searchRead(
            this.resModel,
            props.domain || [],
            this.getFields(),
            { limit: props.limit || 80, context: props.context || {} }
        );
    },
});
